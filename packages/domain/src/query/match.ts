import sift from 'sift';
import { isPlainObject } from '../internal/objects.js';
import { SearchConditionsBuilder, snapshotOf } from './builder.js';
import { parseIsoInstant, parseSearchDate } from './dates.js';
import { pointer, QueryError } from './errors.js';
import { compileLinearRegex, type LinearRegex } from './linear-regex.js';
import { parseSearchConditions } from './parse.js';
import { DATE_OPERATORS, type DateOperator, type SearchConditions } from './types.js';

/*
 * sift is CommonJS: under Node's ESM loader its default import is `module.exports`, which sift sets
 * to the query function with every named export copied onto it. TypeScript (NodeNext) sees the
 * module object, so the function is reached as `.default` (also present at run time).
 */
const { default: createMatcher, createEqualsOperation } = sift;
type SiftOptions = NonNullable<Parameters<typeof createMatcher>[1]>;
type OperationCreator = NonNullable<SiftOptions['operations']>[string];

/** Tells whether one incident meets compiled conditions. */
export type IncidentMatcher = (incident: unknown) => boolean;

/**
 * An incident value as an instant: a valid `Date`, or an ISO 8601 string (with any offset; one
 * without an offset is read as UTC, the zone D3 keeps times in). Anything else — numbers included,
 * as MongoDB never compares a number with a date — is no instant and matches no date comparison.
 */
function instantOf(value: unknown): number | null {
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isNaN(ms) ? null : ms;
  }
  return typeof value === 'string' ? parseIsoInstant(value.trim(), true) : null;
}

const COMPARE: Readonly<Record<DateOperator, (value: number, bound: number) => boolean>> = {
  $gt: (value, bound) => value > bound,
  $gte: (value, bound) => value >= bound,
  $lt: (value, bound) => value < bound,
  $lte: (value, bound) => value <= bound,
};

/*
 * Why custom operations rather than rewriting incidents: sift's own `$gt` compares a Date bound
 * only with Dates (an ISO string in the incident is a string, so never "after" anything), and
 * converting each incident's date-looking values first would copy every incident on every match
 * and need to know which (possibly nested or array) paths hold dates. Replacing `$gt`/`$gte`/
 * `$lt`/`$lte` keeps sift's walk over nested paths and arrays (any element may match, as in
 * MongoDB) and converts only the values actually compared. Validated conditions only ever hold a
 * `$date` (turned into a Date here) or a number under these operators, and both are handled.
 */
function boundOperation(operator: DateOperator): OperationCreator {
  const compare = COMPARE[operator];
  return (params: unknown, ownerQuery: unknown, options) => {
    if (typeof params === 'number') {
      // A numeric bound (the contract allows them) compares with numbers only, as in MongoDB.
      return createEqualsOperation(
        (value: unknown) => typeof value === 'number' && compare(value, params),
        ownerQuery,
        options,
      );
    }
    const bound = params instanceof Date ? params.getTime() : NaN;
    return createEqualsOperation(
      (value: unknown) => {
        const instant = instantOf(value);
        return instant !== null && compare(instant, bound);
      },
      ownerQuery,
      options,
    );
  };
}

/** The sift query for validated conditions: `{"$date": s}` becomes the `Date` it names. */
export function toSiftQuery(conditions: SearchConditions): Record<string, unknown> {
  const query: Record<string, unknown> = {};
  for (const [field, condition] of Object.entries(conditions)) {
    if (typeof condition !== 'object') {
      query[field] = condition;
      continue;
    }
    const operators: Record<string, unknown> = {};
    for (const [operator, operand] of Object.entries(condition)) {
      operators[operator] =
        typeof operand === 'object' && operand !== null && '$date' in operand
          ? new Date(parseSearchDate(operand.$date) ?? NaN)
          : operand;
    }
    query[field] = operators;
  }
  return query;
}

/**
 * The `$regex` operation: sift's own compiles the pattern with JavaScript's backtracking
 * `RegExp`, which a pattern such as `(a+)+$` or `.{0,100}`×10 can keep busy for minutes. Here
 * `params` is the pattern already compiled for RE2 (see {@link compileIncidentMatcher}), which
 * runs in time linear in the text. Like MongoDB's `$regex`, it matches strings only (any element
 * of an array field); `$options` was applied when compiling (sift's own `$options` is a no-op).
 */
const regexOperation: OperationCreator = (params: unknown, ownerQuery: unknown, options) => {
  if (!isLinearRegex(params)) {
    throw new TypeError('$regex reached the matcher without being compiled for RE2');
  }
  return createEqualsOperation(
    (value: unknown) => typeof value === 'string' && params.test(value),
    ownerQuery,
    options,
  );
};

function isLinearRegex(value: unknown): value is LinearRegex {
  return (
    typeof value === 'object' && value !== null && typeof Reflect.get(value, 'test') === 'function'
  );
}

const MATCHER_OPTIONS: SiftOptions = {
  operations: {
    ...Object.fromEntries(DATE_OPERATORS.map((operator) => [operator, boundOperation(operator)])),
    $regex: regexOperation,
  },
};

/**
 * Compiles conditions (a builder, or plain JSON that is validated first) into a reusable matcher
 * with MongoDB semantics, via sift: a plain value matches by strict equality (or any element of an
 * array field), `$in` any of its values, `$regex` strings only, and `$date` comparisons compare
 * instants against `Date`s or ISO 8601 strings in the incident.
 *
 * `$regex` runs on RE2 (re2js), in time linear in the text whatever the pattern, with
 * JavaScript's reading of the pattern and `$options` `i`, `m`, `s` (see the package README for
 * the few edge differences). Patterns RE2 cannot run — backreferences, lookahead, lookbehind,
 * repetition counts above 1,000 — are refused with a `QueryError` (`unsupported_regex`).
 * @throws {QueryError} when plain JSON conditions are invalid (see `parseSearchConditions`), or
 *   `unsupported_regex` for a `$regex` RE2 cannot run.
 */
export function compileIncidentMatcher(
  conditions: SearchConditionsBuilder | SearchConditions,
): IncidentMatcher {
  return compile(conditions).matcher;
}

/** The validated conditions and their matcher. */
interface Compiled {
  readonly json: SearchConditions;
  readonly matcher: IncidentMatcher;
}

function compile(conditions: SearchConditionsBuilder | SearchConditions): Compiled {
  const json =
    conditions instanceof SearchConditionsBuilder
      ? snapshotOf(conditions)
      : parseSearchConditions(conditions);
  const query = toSiftQuery(json);
  for (const [field, condition] of Object.entries(json)) {
    if (typeof condition !== 'object' || condition.$regex === undefined) continue;
    const compiled = compileLinearRegex(condition.$regex, condition.$options ?? '');
    if (typeof compiled === 'string') {
      const path = pointer(field, '$regex');
      throw new QueryError('unsupported_regex', `Search Conditions ${path}: ${compiled}`, {
        field,
        path,
      });
    }
    // Safe to index: toSiftQuery made an operator object for every operator condition.
    (query[field] as Record<string, unknown>)['$regex'] = compiled;
  }
  const test = createMatcher(query, MATCHER_OPTIONS);
  return { json, matcher: (incident: unknown) => test(incident) };
}

/*
 * Matchers cached for matchesIncident. A builder's snapshot is a frozen object that is replaced
 * when the builder changes, so it is cached by identity. A plain object can be mutated between
 * calls, so identity alone would give stale answers: it is cached by identity together with the
 * validated copy it was compiled from, and used only while it still equals that copy (a walk that
 * allocates nothing). When it does not — a mutated object, or a fresh but equal literal on every
 * call — its JSON text finds the matcher in a small least-recently-used map. The bench shows the
 * cost: the identity check is cheap next to matching; building the text key costs a few
 * microseconds; validating and compiling afresh costs tens.
 */
const snapshotMatchers = new WeakMap<object, IncidentMatcher>();
const objectMatchers = new WeakMap<object, Compiled>();
const textMatchers = new Map<string, Compiled>();
const TEXT_CACHE_SIZE = 64;

/**
 * Whether `value` (anything a caller passed) equals `json` (validated conditions or a part of
 * them): the same keys in the same order, equal primitives, plain objects and arrays only.
 */
function sameJson(value: unknown, json: unknown): boolean {
  if (typeof json !== 'object' || json === null) return value === json;
  if (Array.isArray(json)) {
    if (!Array.isArray(value) || value.length !== json.length) return false;
    for (let index = 0; index < json.length; index += 1) {
      if (!sameJson(value[index], json[index])) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(json);
  const valueKeys = Object.keys(value);
  if (valueKeys.length !== keys.length) return false;
  for (let index = 0; index < keys.length; index += 1) {
    const key = keys[index] as string;
    if (valueKeys[index] !== key || !sameJson(value[key], (json as Record<string, unknown>)[key]))
      return false;
  }
  return true;
}

/**
 * The JSON text of plain conditions, or `null` when they hold anything JSON cannot represent
 * faithfully (`undefined`, `NaN`, a `Date`, a class instance, ...), or nest deeper than the
 * grammar allows: such conditions are never cached, so they reach the parser and its error.
 */
function conditionsText(value: unknown, depth = 0): string | null {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'boolean':
      return String(value);
    case 'object': {
      if (value === null) return 'null';
      if (depth >= 4) return null;
      if (Array.isArray(value)) {
        let text = '[';
        for (let index = 0; index < value.length; index += 1) {
          const item = conditionsText(value[index], depth + 1);
          if (item === null) return null;
          text += index === 0 ? item : `,${item}`;
        }
        return `${text}]`;
      }
      if (!isPlainObject(value)) return null;
      let text = '{';
      let first = true;
      for (const key of Object.keys(value)) {
        const item = conditionsText(value[key], depth + 1);
        if (item === null) return null;
        text += `${first ? '' : ','}${JSON.stringify(key)}:${item}`;
        first = false;
      }
      return `${text}}`;
    }
    default:
      return null;
  }
}

function cachedByText(conditions: SearchConditions): Compiled {
  const text = conditionsText(conditions);
  if (text === null) return compile(conditions);
  let compiled = textMatchers.get(text);
  if (compiled !== undefined) {
    // Refresh its place: the map iterates oldest first, so eviction drops the least recent.
    textMatchers.delete(text);
  } else {
    compiled = compile(conditions);
    if (textMatchers.size >= TEXT_CACHE_SIZE) {
      const oldest = textMatchers.keys().next();
      if (oldest.done !== true) textMatchers.delete(oldest.value);
    }
  }
  textMatchers.set(text, compiled);
  return compiled;
}

function matcherForPlain(conditions: SearchConditions): IncidentMatcher {
  if (typeof conditions !== 'object' || conditions === null) return compile(conditions).matcher;
  const known = objectMatchers.get(conditions);
  if (known !== undefined && sameJson(conditions, known.json)) return known.matcher;
  const compiled = cachedByText(conditions);
  objectMatchers.set(conditions, compiled);
  return compiled.matcher;
}

/**
 * Whether an incident meets the conditions, as D3 decides which incident to act on (see
 * {@link compileIncidentMatcher} for the semantics). Compiled matchers are cached — a builder's
 * until it changes, a plain conditions object for as long as it keeps the same content (a mutated
 * object is matched as it is now), and equal plain conditions share one matcher (the 64 most
 * recently used) — so matching many incidents against the same conditions compiles once.
 * @throws {QueryError} when plain JSON conditions are invalid, or hold a `$regex` RE2 cannot run.
 */
export function matchesIncident(
  conditions: SearchConditionsBuilder | SearchConditions,
  incident: unknown,
): boolean {
  if (conditions instanceof SearchConditionsBuilder) {
    const snapshot = snapshotOf(conditions);
    let matcher = snapshotMatchers.get(snapshot);
    if (matcher === undefined) {
      // Compiled from the builder, not the snapshot: its output is valid, so not parsed again.
      matcher = compile(conditions).matcher;
      snapshotMatchers.set(snapshot, matcher);
    }
    return matcher(incident);
  }
  return matcherForPlain(conditions)(incident);
}
