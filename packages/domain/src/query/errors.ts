/**
 * Why conditions were rejected:
 * - `empty`: no condition at all (the parameter is required and an empty one matches anything).
 * - `invalid_json`: a string that is not JSON.
 * - `invalid_field`: a field name that is empty, starts with `$`, or is `__proto__`,
 *   `constructor` or `prototype`.
 * - `invalid_value`: a value of the wrong type (not a string, number or operator object; a
 *   non-array or empty `$in`; ...).
 * - `unknown_operator`: an operator D3 does not document (only `$regex`, `$options`, `$in`, `$gt`,
 *   `$gte`, `$lt`, `$lte` and `$date` inside comparisons), or a top-level `$or`/`$and`/...
 * - `invalid_date`: a date that is not a `Date`, epoch milliseconds or ISO 8601 string with an
 *   offset (builder), or not `yyyy-MM-ddTHH:mm:ssZ` (parser).
 * - `invalid_regex`: a pattern that does not compile, flags D3 cannot take (builder: anything
 *   but `i`; parser: anything but `i`, `m`, `s`), or an escaped letter JavaScript reads
 *   differently from PCRE and .NET (`\p{L}`, `\A`, `\z`, ...).
 * - `unsafe_regex`: a pattern `checkRegexSafety` rejects (only when the matcher is asked to
 *   check, with `rejectUnsafeRegex`).
 * - `unsupported_regex`: a pattern the linear-time matcher (RE2) cannot run: a backreference, a
 *   lookahead or lookbehind, a repetition count above 1,000. Raised by the matcher.
 * - `conflicting_constraints`: constraints on one field that cannot go together (two kinds of
 *   condition, such as `equals` and `in` or `$regex` and `$in`; the same constraint twice; an empty
 *   date range).
 */
export type QueryErrorCode =
  | 'empty'
  | 'invalid_json'
  | 'invalid_field'
  | 'invalid_value'
  | 'unknown_operator'
  | 'invalid_date'
  | 'invalid_regex'
  | 'unsafe_regex'
  | 'unsupported_regex'
  | 'conflicting_constraints';

/** JSON pointer (RFC 6901) of a value inside the conditions: `/CreatedUtcTime/$gt/$date`. */
export function pointer(...segments: readonly (string | number)[]): string {
  return segments
    .map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`)
    .join('');
}

/** Thrown when search conditions cannot be built or parsed. */
export class QueryError extends Error {
  override readonly name = 'QueryError';
  /** What rule was broken; see {@link QueryErrorCode}. */
  readonly code: QueryErrorCode;
  /** The field concerned, when there is one. */
  readonly field: string | undefined;
  /** JSON pointer to the offending value (`''` for the whole conditions object). */
  readonly path: string;

  constructor(
    code: QueryErrorCode,
    message: string,
    location: { field?: string; path?: string } = {},
  ) {
    super(message);
    this.code = code;
    this.field = location.field;
    this.path = location.path ?? (location.field === undefined ? '' : pointer(location.field));
  }
}
