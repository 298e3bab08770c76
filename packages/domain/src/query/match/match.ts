import sift from 'sift';
import { SearchConditionsBuilder } from '../builder.js';
import type { CheckedSearchConditions } from '../checked.js';
import { parseIsoInstant, parseSearchDate } from '../dates.js';
import { pointer, QueryError } from '../errors.js';
import { parseSearchConditions } from '../parse.js';
import { DATE_OPERATORS, type DateOperator, type SearchConditions } from '../types.js';
import { compileLinearRegex, type LinearRegex } from './linear-regex.js';
import { checkParsedRegexSafety, type RegexSafetyOptions } from './regex-safety.js';
import { parseRegexPattern } from './regex-syntax.js';

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

/** `{"$date": s}` alone: the field is that instant (any element of an array field may be). */
const dateOperation: OperationCreator = (params: unknown, ownerQuery: unknown, options) => {
  const instant = typeof params === 'string' ? parseSearchDate(params) : null;
  return createEqualsOperation(
    (value: unknown) => instant !== null && instantOf(value) === instant,
    ownerQuery,
    options,
  );
};

/** The text of a `{"$date": s}` bound, if the operand is one. */
function dateOf(operand: unknown): string | undefined {
  if (typeof operand !== 'object' || operand === null || !('$date' in operand)) return undefined;
  const date: unknown = operand.$date;
  return typeof date === 'string' ? date : undefined;
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
    for (const [operator, operand] of Object.entries(condition) as [string, unknown][]) {
      const date = dateOf(operand);
      operators[operator] = date === undefined ? operand : new Date(parseSearchDate(date) ?? NaN);
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
    $date: dateOperation,
    $regex: regexOperation,
  },
};

/** Options of {@link compileIncidentMatcher}. */
export interface CompileIncidentMatcherOptions {
  /**
   * Also refuse `$regex` patterns that {@link checkRegexSafety} finds unsafe for a backtracking
   * engine (`unsafe_regex`): for servers that take patterns from users and may hand them to one,
   * as D3 does. `true` uses the default limits; an object sets them (its `flags` is taken from
   * each pattern's `$options`). Default `false`: this matcher runs any pattern in linear time.
   */
  readonly rejectUnsafeRegex?: boolean | RegexSafetyOptions;
  /**
   * How `$regex` runs. `'linear'` (default): RE2, in time linear in the text, refusing
   * backreferences and lookaround (`unsupported_regex`). `'javascript'`: JavaScript's own engine,
   * the whole language, with no bound on time: for callers that bound it themselves, as the mock
   * server does by matching in a worker it can stop.
   */
  readonly regexEngine?: 'linear' | 'javascript';
}

/**
 * Compiles conditions into a reusable matcher with MongoDB semantics, via sift: a plain value
 * matches by strict equality (or any element of an array field), `$in` any of its values,
 * `$regex` strings only, and `$date` comparisons compare instants against `Date`s or ISO 8601
 * strings in the incident.
 *
 * Takes checked conditions (from `parseSearchConditions`, or a builder) and compiles them without
 * checking their grammar again. Anything else reaching it at run time (plain JSON from
 * JavaScript, a cast) is checked first by `parseSearchConditions`, so an unchecked value is never
 * trusted.
 *
 * `$regex` runs on RE2 (re2js), in time linear in the text whatever the pattern, with
 * JavaScript's reading of the pattern and `$options` `i`, `m`, `s` (see the package README for
 * the few edge differences). Patterns RE2 cannot run — backreferences, lookahead, lookbehind,
 * repetition counts above 1,000 — are refused with a `QueryError` (`unsupported_regex`).
 * @throws {QueryError} `unsupported_regex` for a `$regex` RE2 cannot run; `unsafe_regex` for one
 *   the ReDoS guard refuses, when asked; the parser's errors for conditions that were not checked.
 */
export function compileIncidentMatcher(
  conditions: CheckedSearchConditions | SearchConditionsBuilder,
  options: CompileIncidentMatcherOptions = {},
): IncidentMatcher {
  const reject = options.rejectUnsafeRegex ?? false;
  return compile(
    checkedOf(conditions),
    reject === false ? null : reject === true ? {} : reject,
    options.regexEngine ?? 'linear',
  );
}

function checkedOf(
  conditions: CheckedSearchConditions | SearchConditionsBuilder | SearchConditions,
): CheckedSearchConditions {
  // Free for checked conditions, which the parser returns as they are.
  return conditions instanceof SearchConditionsBuilder
    ? conditions.toJSON()
    : parseSearchConditions(conditions);
}

function compile(
  conditions: CheckedSearchConditions,
  safety: RegexSafetyOptions | null,
  engine: 'linear' | 'javascript' = 'linear',
): IncidentMatcher {
  const query = toSiftQuery(conditions);
  for (const [field, condition] of Object.entries(conditions)) {
    if (typeof condition !== 'object' || condition.$regex === undefined) continue;
    const pattern = condition.$regex;
    const flags = condition.$options ?? '';
    const path = pointer(field, '$regex');
    const fail = (code: 'unsafe_regex' | 'unsupported_regex', reason: string): never => {
      throw new QueryError(code, `Search Conditions ${path}: ${reason}`, { field, path });
    };
    if (engine === 'javascript') {
      (query[field] as Record<string, unknown>)['$regex'] = javascriptRegex(pattern, flags, fail);
      continue;
    }
    // One parse of the pattern serves the ReDoS guard and the translation for RE2.
    const ast = parseRegexPattern(pattern);
    if (safety !== null && typeof ast !== 'string') {
      const reason = checkParsedRegexSafety(pattern, ast, { ...safety, flags });
      if (reason !== null) fail('unsafe_regex', `the pattern is refused: ${reason}`);
    }
    const compiled = compileLinearRegex(pattern, flags, ast);
    if (typeof compiled === 'string') fail('unsupported_regex', compiled);
    // Safe to index: toSiftQuery made an operator object for every operator condition.
    (query[field] as Record<string, unknown>)['$regex'] = compiled;
  }
  const test = createMatcher(query, MATCHER_OPTIONS);
  return (incident: unknown) => test(incident);
}

/**
 * The pattern as JavaScript's backtracking engine runs it: the whole language (lookaround,
 * backreferences), in time that can grow without bound, so only for callers that bound it.
 */
function javascriptRegex(
  pattern: string,
  flags: string,
  fail: (code: 'unsupported_regex', reason: string) => never,
): { test(text: string): boolean } {
  try {
    return new RegExp(pattern, flags);
  } catch (error) {
    return fail(
      'unsupported_regex',
      `JavaScript's regular expressions cannot run the pattern (${error instanceof Error ? error.message : String(error)}); D3's own engine may`,
    );
  }
}

/*
 * Compiled matchers of checked conditions, for matchesIncident: compiling builds RE2 programs and
 * a sift query (tens of microseconds; matching an incident takes well under one), and
 * `incidents.filter((incident) => matchesIncident(conditions, incident))` would otherwise compile
 * once per incident. Keyed by identity, which is sound because checked conditions are frozen; a
 * builder gives the same checked object until it changes.
 */
const matchers = new WeakMap<CheckedSearchConditions, IncidentMatcher>();

/**
 * Whether an incident meets the conditions, as D3 decides which incident to act on (see
 * {@link compileIncidentMatcher} for the semantics). Checked conditions and builders are compiled
 * once and their matcher kept for as long as they live (a builder's until it changes). Plain
 * conditions are checked and compiled on every call, as they are at that moment: for many
 * incidents, check them once with `parseSearchConditions` and pass the result.
 * @throws {QueryError} when plain JSON conditions are invalid, or hold a `$regex` RE2 cannot run.
 */
export function matchesIncident(
  conditions: CheckedSearchConditions | SearchConditionsBuilder | SearchConditions,
  incident: unknown,
): boolean {
  const checked = checkedOf(conditions);
  let matcher = matchers.get(checked);
  if (matcher === undefined) {
    matcher = compile(checked, null);
    matchers.set(checked, matcher);
  }
  return matcher(incident);
}
