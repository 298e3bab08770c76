import { describeValue as describe, isPlainObject } from '@d3soar/support';
import { fieldNameProblem } from './builder.js';
import { isChecked, markChecked, type CheckedSearchConditions } from './checked.js';
import { parseSearchDate } from './dates.js';
import { pointer, QueryError } from './errors.js';
import { otherDialectConstructs } from './regex.js';
import {
  DATE_OPERATORS,
  type SearchBound,
  type SearchCondition,
  type SearchConditions,
} from './types.js';

/** Options of {@link parseSearchConditions}. */
export interface ParseSearchConditionsOptions {
  /**
   * @deprecated Moved: the ReDoS guard runs where patterns are run, with
   * `compileIncidentMatcher(conditions, { rejectUnsafeRegex })` from
   * `@d3soar/domain/query/match`, so that the parser carries no regular-expression analysis.
   * Passing it throws a `TypeError`, rather than silently checking less than asked.
   */
  readonly rejectUnsafeRegex?: never;
}

/** Each operator's kind: one operator object holds operators of one kind only (D3's grammar). */
const OPERATOR_KIND: ReadonlyMap<string, 'regex' | 'in' | 'comparison' | 'date'> = new Map([
  ['$regex', 'regex'],
  ['$options', 'regex'],
  ['$in', 'in'],
  ['$date', 'date'],
  ...DATE_OPERATORS.map((operator) => [operator, 'comparison'] as const),
]);

/** How refusals name the grammar: the vendor's forms, then this SDK's extensions. */
const GRAMMAR =
  "the vendor documents $regex, $in, $date, and $gt/$lt with a $date; this SDK's extensions are $options, $gte and $lte";

/** `$options` flags that mean the same in JavaScript as in MongoDB's PCRE, each at most once. */
const REGEX_OPTIONS = /^(?!.*(.).*\1)[ims]*$/;

class ConditionsParser {
  parse(input: unknown): SearchConditions {
    if (!isPlainObject(input)) {
      throw new QueryError(
        'invalid_value',
        `Search Conditions must be a JSON object of field names to conditions, not ${describe(input)}`,
      );
    }
    const fields = Object.keys(input);
    if (fields.length === 0) {
      throw new QueryError(
        'empty',
        'Search Conditions are empty: D3 requires at least one condition (an empty one would match any incident)',
      );
    }
    const result: SearchConditions = {};
    for (const field of fields) {
      const problem = fieldNameProblem(field);
      if (problem !== null) {
        const code = field.startsWith('$') ? 'unknown_operator' : 'invalid_field';
        throw new QueryError(code, `Search Conditions: ${problem}`, {
          field,
          path: pointer(field),
        });
      }
      // Safe to assign: fieldNameProblem has rejected `__proto__`, `constructor` and `prototype`.
      result[field] = this.#condition(field, input[field]);
    }
    return result;
  }

  #condition(field: string, value: unknown): SearchCondition {
    if (typeof value === 'string') return value;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value;
      this.#fail('invalid_value', field, [], `${value} is not a finite number`);
    }
    if (!isPlainObject(value)) {
      this.#fail(
        'invalid_value',
        field,
        [],
        `a condition is a string, a number, a date ({"$date": ...}) or an operator object ({"$regex": ...}, {"$in": [...]}, {"$gt": {"$date": ...}}), not ${describe(value)}`,
      );
    }
    const operators = Object.keys(value);
    if (operators.length === 0) {
      this.#fail('invalid_value', field, [], 'an operator object needs at least one operator');
    }
    const result: Record<string, unknown> = {};
    let kind: string | undefined;
    for (const operator of operators) {
      const operatorKind = OPERATOR_KIND.get(operator);
      if (operatorKind === undefined) {
        this.#fail(
          'unknown_operator',
          field,
          [operator],
          `${JSON.stringify(operator)} is not an operator of Search Conditions (${GRAMMAR})`,
        );
      }
      if (kind !== undefined && kind !== operatorKind) {
        this.#fail(
          'conflicting_constraints',
          field,
          [operator],
          `${operator} cannot share an object with ${operators[0]}: a field takes one kind of condition ($regex, $in, $date, or comparisons)`,
        );
      }
      kind = operatorKind;
      // Safe to assign: `operator` is one of the known operator names.
      result[operator] = this.#operand(field, operator, value[operator], value);
    }
    return result;
  }

  #operand(
    field: string,
    operator: string,
    operand: unknown,
    owner: Record<string, unknown>,
  ): unknown {
    switch (operator) {
      case '$regex':
        return this.#regex(field, operand, owner);
      case '$options':
        if (typeof operand !== 'string' || !REGEX_OPTIONS.test(operand)) {
          this.#fail(
            'invalid_regex',
            field,
            [operator],
            `$options takes the flags i, m and s (each at most once), not ${describe(operand)}`,
          );
        }
        if (!Object.hasOwn(owner, '$regex')) {
          this.#fail('invalid_regex', field, [operator], '$options needs a $regex beside it');
        }
        return operand;
      case '$in':
        return this.#in(field, operand);
      case '$date':
        return this.#dateText(field, [operator], operand);
      default:
        return this.#date(field, operator, operand);
    }
  }

  #regex(field: string, pattern: unknown, owner: Record<string, unknown>): string {
    if (typeof pattern !== 'string') {
      this.#fail(
        'invalid_regex',
        field,
        ['$regex'],
        `$regex takes a pattern string, not ${describe(pattern)}`,
      );
    }
    const options = owner['$options'];
    const flags = typeof options === 'string' && REGEX_OPTIONS.test(options) ? options : '';
    try {
      new RegExp(pattern, flags);
    } catch (caught) {
      // Refused only when no engine takes it; a construct PCRE or .NET (D3's engines) take but
      // JavaScript lacks is sent, with a warning (searchConditionWarnings).
      if (otherDialectConstructs(pattern, flags) === null) {
        const error = caught instanceof Error ? caught.message : String(caught);
        this.#fail('invalid_regex', field, ['$regex'], error);
      }
    }
    return pattern;
  }

  #in(field: string, values: unknown): (string | number)[] {
    // An empty list is valid and matches no incident (the contract says so); a warning says it.
    if (!Array.isArray(values)) {
      this.#fail(
        'invalid_value',
        field,
        ['$in'],
        `$in takes an array of strings or numbers, not ${describe(values)}`,
      );
    }
    return values.map((item: unknown, index) => {
      if (typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item)))
        return item;
      return this.#fail(
        'invalid_value',
        field,
        ['$in', index],
        `$in items are strings or numbers, not ${describe(item)}`,
      );
    });
  }

  #date(field: string, operator: string, operand: unknown): SearchBound {
    const format = '{"$date": "yyyy-MM-ddTHH:mm:ssZ"} or a number';
    if (typeof operand === 'number' && Number.isFinite(operand)) return operand;
    if (!isPlainObject(operand)) {
      this.#fail(
        'invalid_date',
        field,
        [operator],
        `${operator} takes ${format}, not ${describe(operand)}`,
      );
    }
    const keys = Object.keys(operand);
    const extra = keys.find((key) => key !== '$date');
    if (extra !== undefined) {
      this.#fail(
        extra.startsWith('$') ? 'unknown_operator' : 'invalid_date',
        field,
        [operator, extra],
        `${operator} takes ${format} and nothing else, not ${JSON.stringify(extra)}`,
      );
    }
    return { $date: this.#dateText(field, [operator, '$date'], operand['$date']) };
  }

  #dateText(field: string, path: readonly string[], date: unknown): string {
    if (typeof date !== 'string' || parseSearchDate(date) === null) {
      this.#fail(
        'invalid_date',
        field,
        path,
        `$date must be a real UTC date and time written yyyy-MM-ddTHH:mm:ssZ (e.g. 2024-05-15T14:32:00Z), not ${describe(date)}`,
      );
    }
    return date;
  }

  #fail(
    code: QueryError['code'],
    field: string,
    path: readonly (string | number)[],
    message: string,
  ): never {
    const at = pointer(field, ...path);
    throw new QueryError(code, `Search Conditions ${at}: ${message}`, { field, path: at });
  }
}

/**
 * Validates `Search Conditions` (a JSON string or an already parsed object) against D3's format:
 * field names mapped to a string, a finite number, a date `{"$date": "yyyy-MM-ddTHH:mm:ssZ"}` (a
 * real UTC date), or an operator object of one kind: `$regex` (a pattern some engine compiles:
 * JavaScript, or PCRE/.NET for constructs such as `(?i)`; optional `$options` of `i`, `m`, `s`), or
 * `$in` (an array of strings or numbers, possibly empty), or `$gt`/`$gte`/`$lt`/`$lte` each holding
 * a date or a finite number. This is the grammar of the OpenAPI contract's `SearchConditions`
 * schema. It refuses only what is certainly wrong; {@link searchConditionWarnings} lists what D3
 * may not take (extensions, an empty `$in`, patterns JavaScript reads differently).
 *
 * Returns a deeply frozen copy with the same keys in the same order, so
 * `JSON.stringify(parseSearchConditions(text))` equals `JSON.stringify(JSON.parse(text))`.
 * Conditions that were checked already — this function's own result, a builder's `toJSON()` — are
 * returned as they are, without a second check: they are frozen, so they cannot have changed.
 *
 * @throws {QueryError} with `path` (a JSON pointer such as `/CreatedUtcTime/$gt/$date`) and
 *   `field` naming the offending value: unknown operator, malformed date, invalid regex, wrong value
 *   type, empty conditions, invalid JSON.
 * @throws {TypeError} when given the `rejectUnsafeRegex` option, which moved to the matcher.
 */
export function parseSearchConditions(
  // A JSON text, or a value already parsed (checked conditions come back as they are).
  json: unknown,
  options: ParseSearchConditionsOptions = {},
): CheckedSearchConditions {
  if ((options as { rejectUnsafeRegex?: unknown }).rejectUnsafeRegex) {
    throw new TypeError(
      'parseSearchConditions no longer takes rejectUnsafeRegex: pass it to compileIncidentMatcher from @d3soar/domain/query/match',
    );
  }
  if (isChecked(json)) return json;
  let input = json;
  if (typeof json === 'string') {
    try {
      input = JSON.parse(json) as unknown;
    } catch (error) {
      throw new QueryError(
        'invalid_json',
        `Search Conditions are not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return markChecked(new ConditionsParser().parse(input));
}
