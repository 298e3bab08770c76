import sift from 'sift';
import { SearchConditionsBuilder, snapshotOf } from './builder.js';
import { parseIsoInstant, parseSearchDate } from './dates.js';
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

const SIFT_OPTIONS: SiftOptions = {
  operations: Object.fromEntries(
    DATE_OPERATORS.map((operator) => [operator, boundOperation(operator)]),
  ),
};

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
 * Compiles conditions (a builder, or plain JSON that is validated first) into a reusable matcher
 * with MongoDB semantics, via sift: a plain value matches by strict equality (or any element of an
 * array field), `$in` any of its values, `$regex` strings only, and `$date` comparisons compare
 * instants against `Date`s or ISO 8601 strings in the incident.
 * @throws {QueryError} when plain JSON conditions are invalid (see `parseSearchConditions`).
 */
export function compileIncidentMatcher(
  conditions: SearchConditionsBuilder | SearchConditions,
): IncidentMatcher {
  const json =
    conditions instanceof SearchConditionsBuilder
      ? snapshotOf(conditions)
      : parseSearchConditions(conditions);
  const test = createMatcher(toSiftQuery(json), SIFT_OPTIONS);
  return (incident: unknown) => test(incident);
}

/*
 * Matchers cached per conditions object. A builder's snapshot is a frozen object that is replaced
 * when the builder changes, so a changed builder compiles afresh; a plain object is compiled the
 * first time it is matched and must not be mutated afterwards (use compileIncidentMatcher then).
 */
const matcherCache = new WeakMap<object, IncidentMatcher>();

/**
 * Whether an incident meets the conditions, as D3 decides which incident to act on (see
 * {@link compileIncidentMatcher} for the semantics). The compiled matcher is cached per conditions
 * object, so matching many incidents against the same conditions compiles once.
 * @throws {QueryError} when plain JSON conditions are invalid.
 */
export function matchesIncident(
  conditions: SearchConditionsBuilder | SearchConditions,
  incident: unknown,
): boolean {
  const key = conditions instanceof SearchConditionsBuilder ? snapshotOf(conditions) : conditions;
  if (typeof key !== 'object' || key === null) return compileIncidentMatcher(key)(incident);
  let matcher = matcherCache.get(key);
  if (matcher === undefined) {
    matcher = compileIncidentMatcher(key);
    matcherCache.set(key, matcher);
  }
  return matcher(incident);
}
