// The Search Conditions builder and its per-field constraints, in one module on purpose (it is
// long): the constraint methods write the builder's private field state, and each check of one
// constraint looks at the others on the same field.
import { describeValue, UNSAFE_KEYS } from '@d3soar/support';
import { markChecked, type CheckedSearchConditions } from './checked.js';
import { formatSearchDate, instantOfDateInput, parseSearchDate, type DateInput } from './dates.js';
import { pointer, QueryError } from './errors.js';
import { otherDialectConstructs, regexSyntaxError } from './regex.js';
import type {
  DateOperator,
  SearchCondition,
  SearchConditions,
  SearchFieldName,
  SearchOperators,
  SearchScalar,
} from './types.js';

/** Why a field name cannot be used, or `null`. Shared by the builder and the parser. */
export function fieldNameProblem(field: unknown): string | null {
  if (typeof field !== 'string' || field.length === 0) {
    return `a field name must be a non-empty string, not ${typeof field === 'string' ? 'an empty one' : typeof field}`;
  }
  if (field.startsWith('$')) {
    return `"${field}" starts with "$", which makes it an operator; D3 takes field names at the top level`;
  }
  if (UNSAFE_KEYS.has(field)) {
    return `"${field}" is rejected as a field name: it could alter object prototypes`;
  }
  return null;
}

interface Bound {
  readonly operator: DateOperator;
  readonly epochMs: number;
  readonly date: string;
}

/** One field's constraints while building; turned into JSON by `toJSON`. */
interface FieldState {
  equals: SearchScalar | undefined;
  /** `on`: the field is this instant (`{"$date": ...}`). */
  on: string | undefined;
  regex: { readonly source: string; readonly ignoreCase: boolean } | undefined;
  in: readonly SearchScalar[] | undefined;
  lower: Bound | undefined;
  upper: Bound | undefined;
}

const LOWER_OPERATORS: ReadonlySet<DateOperator> = new Set(['$gt', '$gte']);

function scalarProblem(value: unknown): string | null {
  if (typeof value === 'string') return null;
  if (typeof value === 'number')
    return Number.isFinite(value) ? null : `${value} is not a finite number`;
  return `${describeValue(value)} is not a string or number`;
}

/** JSON has no `-0` (it is sent as `0`): the builder keeps what will be sent. */
function asSent(value: SearchScalar): SearchScalar {
  return typeof value === 'number' ? value + 0 : value;
}

function conditionOf(state: FieldState): SearchCondition {
  if (state.equals !== undefined) return state.equals;
  if (state.on !== undefined) return { $date: state.on };
  const operators: SearchOperators = {};
  if (state.regex) {
    operators.$regex = state.regex.source;
    if (state.regex.ignoreCase) operators.$options = 'i';
  }
  if (state.in) operators.$in = state.in.slice();
  if (state.lower) operators[state.lower.operator] = { $date: state.lower.date };
  if (state.upper) operators[state.upper.operator] = { $date: state.upper.date };
  return operators;
}

/**
 * The constraints that can be put on one field; each returns the builder, so calls chain. A field
 * takes one kind of condition, as D3's grammar has it: `equals`, `in`, `matches`, or date
 * comparisons (a lower and an upper bound merge into one range); mixing kinds, or repeating one,
 * throws a `QueryError` (`conflicting_constraints`).
 */
export interface FieldConstraints {
  /** The field equals this value exactly (never a regex: metacharacters stay literal). */
  equals(value: SearchScalar): SearchConditionsBuilder;
  /** The field equals one of these values (`$in`); an empty list matches no incident. */
  in(values: readonly SearchScalar[]): SearchConditionsBuilder;
  /**
   * The field matches this regular expression (`$regex`). A `RegExp` gives its source; its `i`
   * flag becomes `$options: "i"` (an extension: the vendor documents `$regex` alone), any other
   * flag is a `QueryError`. A string is a pattern's source (use `escapeRegex` for literal pieces);
   * one that no engine compiles is a `QueryError`, while PCRE/.NET constructs JavaScript lacks
   * (`(?i)`, `(?>...)`) and escaped letters JavaScript reads as letters (`\p{L}`, `\A`) are sent,
   * with a warning from `searchConditionWarnings`.
   */
  matches(pattern: RegExp | string): SearchConditionsBuilder;
  /** The field is this instant (`{"$date": ...}`, the vendor's form). */
  on(date: DateInput): SearchConditionsBuilder;
  /** Strictly after this instant (`$gt`, the vendor's form). */
  after(date: DateInput): SearchConditionsBuilder;
  /** Extension. At or after this instant (`$gte`); `after` is the vendor's form. */
  onOrAfter(date: DateInput): SearchConditionsBuilder;
  /** Strictly before this instant (`$lt`, the vendor's form). */
  before(date: DateInput): SearchConditionsBuilder;
  /** Extension. At or before this instant (`$lte`); `before` is the vendor's form. */
  onOrBefore(date: DateInput): SearchConditionsBuilder;
  /**
   * Extension. Between the two instants, both included (`$gte` and `$lte`). With the vendor's
   * forms, use `after(start).before(end)` (both excluded).
   */
  between(start: DateInput, end: DateInput): SearchConditionsBuilder;
}

/**
 * Builds TriggerIncidentExternalAction's `Search Conditions` so that dates and regexes come out in
 * the one shape D3 takes. Mutable: each constraint adds to this builder and returns it.
 */
export class SearchConditionsBuilder {
  readonly #fields = new Map<string, FieldState>();
  /**
   * The conditions as last given by `toJSON`, until a constraint changes them: one frozen object
   * per state, so `matchesIncident(builder, ...)` over many incidents finds its compiled matcher
   * by identity instead of compiling per call, and repeated `toJSON` calls cost nothing.
   */
  #json: CheckedSearchConditions | undefined;

  /** Starts constraints on a known incident field (`Title`, `Severity`, `CustomField3`, ...). */
  where(field: SearchFieldName): FieldConstraints {
    return this.#constrain(field);
  }

  /**
   * The escape hatch: starts constraints on any field name, for incident fields this package does
   * not list. `where` catches typos in known names at compile time; this does not.
   */
  whereAny(field: string): FieldConstraints {
    return this.#constrain(field);
  }

  /** The names of the fields constrained so far, in order. */
  get fields(): string[] {
    return [...this.#fields.keys()];
  }

  /**
   * The conditions exactly as D3 takes them, fields in the order first constrained: a plain value
   * for `equals`; `{"$regex", "$options"?}` for `matches`; `{"$in"}` for `in`; and for dates one
   * object with the lower bound (`$gt`/`$gte`) before the upper (`$lt`/`$lte`), each
   * `{"$date": "yyyy-MM-ddTHH:mm:ssZ"}`. Checked by construction and deeply frozen: the same
   * object until the builder changes, so `parseSearchConditions` and the matcher take it as it
   * is.
   * @throws {QueryError} `empty` when no condition was added (the parameter is required).
   */
  toJSON(): CheckedSearchConditions {
    if (this.#json !== undefined) return this.#json;
    if (this.#fields.size === 0) {
      throw new QueryError(
        'empty',
        'Search Conditions are empty: add at least one condition (D3 requires the parameter, and an empty one would match any incident)',
      );
    }
    const json: SearchConditions = {};
    for (const [field, state] of this.#fields) json[field] = conditionOf(state);
    this.#json = markChecked(json);
    return this.#json;
  }

  #constrain(field: string): FieldConstraints {
    const problem = fieldNameProblem(field);
    if (problem !== null) {
      throw new QueryError('invalid_field', `Search Conditions: ${problem}`, {
        path: typeof field === 'string' && field.length > 0 ? pointer(field) : '',
      });
    }
    return new FieldConstraintBuilder(field, (update) => this.#update(field, update));
  }

  /** Applies a constraint to a copy of the field's state, so a rejected one leaves no trace. */
  #update(field: string, update: (state: FieldState) => void): this {
    const previous = this.#fields.get(field);
    // Every state gets the same five properties in the same order: one object shape throughout.
    const state: FieldState = {
      equals: previous?.equals,
      on: previous?.on,
      regex: previous?.regex,
      in: previous?.in,
      lower: previous?.lower,
      upper: previous?.upper,
    };
    update(state);
    this.#fields.set(field, state);
    this.#json = undefined;
    return this;
  }
}

class FieldConstraintBuilder implements FieldConstraints {
  readonly #field: string;
  readonly #update: (update: (state: FieldState) => void) => SearchConditionsBuilder;

  constructor(
    field: string,
    update: (update: (state: FieldState) => void) => SearchConditionsBuilder,
  ) {
    this.#field = field;
    this.#update = update;
  }

  equals(value: SearchScalar): SearchConditionsBuilder {
    const problem = scalarProblem(value);
    if (problem !== null)
      this.#fail('invalid_value', `equals takes a string or number: ${problem}`);
    return this.#update((state) => {
      if (hasAny(state)) {
        this.#fail(
          'conflicting_constraints',
          'equals cannot be combined with another constraint on the same field (D3 takes either a plain value or an operator object)',
        );
      }
      state.equals = asSent(value);
    });
  }

  in(values: readonly SearchScalar[]): SearchConditionsBuilder {
    if (!Array.isArray(values)) {
      this.#fail(
        'invalid_value',
        `in takes an array of strings or numbers, not ${describeValue(values)}`,
        '$in',
      );
    }
    values.forEach((value, index) => {
      const problem = scalarProblem(value);
      if (problem !== null) this.#fail('invalid_value', `in: ${problem}`, '$in', index);
    });
    const copy = values.map(asSent);
    return this.#update((state) => {
      this.#refuseOtherKinds(state, 'in', '$in');
      if (state.in)
        this.#fail('conflicting_constraints', 'the field already has an in constraint', '$in');
      state.in = copy;
    });
  }

  matches(pattern: RegExp | string): SearchConditionsBuilder {
    let source: string;
    let ignoreCase = false;
    if (pattern instanceof RegExp) {
      const unsupported = pattern.flags.replace('i', '');
      if (unsupported.length > 0) {
        this.#fail(
          'invalid_regex',
          `matches: the flag${unsupported.length > 1 ? 's' : ''} "${unsupported}" of ${String(pattern)} cannot be sent; D3 takes only i (case-insensitive)`,
          '$regex',
        );
      }
      source = pattern.source;
      ignoreCase = pattern.ignoreCase;
    } else if (typeof pattern === 'string') {
      const error = regexSyntaxError(pattern);
      if (error !== null && otherDialectConstructs(pattern) === null) {
        this.#fail('invalid_regex', `matches: ${error}`, '$regex');
      }
      source = pattern;
    } else {
      this.#fail(
        'invalid_regex',
        `matches takes a RegExp or a pattern string, not ${describeValue(pattern)}`,
        '$regex',
      );
    }
    return this.#update((state) => {
      this.#refuseOtherKinds(state, 'matches', '$regex');
      if (state.regex)
        this.#fail(
          'conflicting_constraints',
          'the field already has a matches constraint',
          '$regex',
        );
      state.regex = { source, ignoreCase };
    });
  }

  on(date: DateInput): SearchConditionsBuilder {
    const { date: text } = this.#toBound('$gt', date, '$date');
    return this.#update((state) => {
      if (hasAny(state)) {
        this.#fail(
          'conflicting_constraints',
          'on cannot be combined with another constraint on the same field (a field takes one kind of condition)',
          '$date',
        );
      }
      state.on = text;
    });
  }

  after(date: DateInput): SearchConditionsBuilder {
    return this.#bound('$gt', date);
  }

  onOrAfter(date: DateInput): SearchConditionsBuilder {
    return this.#bound('$gte', date);
  }

  before(date: DateInput): SearchConditionsBuilder {
    return this.#bound('$lt', date);
  }

  onOrBefore(date: DateInput): SearchConditionsBuilder {
    return this.#bound('$lte', date);
  }

  between(start: DateInput, end: DateInput): SearchConditionsBuilder {
    const lower = this.#toBound('$gte', start);
    const upper = this.#toBound('$lte', end);
    return this.#update((state) => {
      this.#refuseOtherKinds(state, 'dates', '$gte');
      this.#setBound(state, lower);
      this.#setBound(state, upper);
    });
  }

  #bound(operator: DateOperator, date: DateInput): SearchConditionsBuilder {
    const bound = this.#toBound(operator, date);
    return this.#update((state) => {
      this.#refuseOtherKinds(state, 'dates', operator);
      this.#setBound(state, bound);
    });
  }

  /** `named` is how messages name the operator (`$date` for `on`). */
  #toBound(operator: DateOperator, input: DateInput, named: string = operator): Bound {
    // Already in D3's form (the usual string input): send it as it is, nothing to reformat.
    const strict = typeof input === 'string' ? parseSearchDate(input) : null;
    if (strict !== null) return { operator, epochMs: strict, date: input as string };
    const instant = instantOfDateInput(input);
    if (typeof instant === 'string') this.#fail('invalid_date', `${named} takes ${instant}`, named);
    const date = formatSearchDate(instant);
    if (date === null) {
      this.#fail('invalid_date', `${named}: ${instant} ms is outside the years 0000–9999`, named);
    }
    // Compare what will be sent: both bounds are truncated to whole seconds.
    return { operator, epochMs: Math.floor(instant / 1000) * 1000, date };
  }

  #setBound(state: FieldState, bound: Bound): void {
    const isLower = LOWER_OPERATORS.has(bound.operator);
    const existing = isLower ? state.lower : state.upper;
    if (existing) {
      this.#fail(
        'conflicting_constraints',
        `the field already has ${isLower ? 'a lower' : 'an upper'} bound (${existing.operator} ${existing.date})`,
        bound.operator,
      );
    }
    const lower = isLower ? bound : state.lower;
    const upper = isLower ? state.upper : bound;
    if (lower && upper) {
      const inclusive = lower.operator === '$gte' && upper.operator === '$lte';
      if (lower.epochMs > upper.epochMs || (lower.epochMs === upper.epochMs && !inclusive)) {
        this.#fail(
          'conflicting_constraints',
          `the date range ${lower.operator} ${lower.date} and ${upper.operator} ${upper.date} is empty`,
          bound.operator,
        );
      }
    }
    if (isLower) state.lower = bound;
    else state.upper = bound;
  }

  /**
   * D3's grammar gives one field one kind of condition: a plain value, a `$regex`, an `$in`, or
   * date comparisons (only these merge, into one range). Mixing kinds is refused rather than sent
   * in a shape D3 does not document.
   */
  #refuseOtherKinds(state: FieldState, kind: 'in' | 'matches' | 'dates', operator: string): void {
    const existing =
      state.equals !== undefined || state.on !== undefined
        ? 'equals'
        : state.in !== undefined && kind !== 'in'
          ? 'in'
          : state.regex !== undefined && kind !== 'matches'
            ? 'matches'
            : (state.lower ?? state.upper) !== undefined && kind !== 'dates'
              ? 'a date comparison'
              : undefined;
    if (existing !== undefined) {
      this.#fail(
        'conflicting_constraints',
        `the field already has ${existing === 'equals' ? 'an equals' : existing === 'in' ? 'an in' : existing === 'matches' ? 'a matches' : existing} constraint; D3 takes one kind of condition per field (a plain value, $regex, $in, or date comparisons)`,
        operator,
      );
    }
  }

  #fail(code: QueryError['code'], message: string, ...path: (string | number)[]): never {
    throw new QueryError(code, `Search Conditions field "${this.#field}": ${message}`, {
      field: this.#field,
      path: pointer(this.#field, ...path),
    });
  }
}

function hasAny(state: FieldState): boolean {
  return (
    state.equals !== undefined ||
    state.on !== undefined ||
    state.regex !== undefined ||
    state.in !== undefined ||
    state.lower !== undefined ||
    state.upper !== undefined
  );
}

/**
 * Starts building `Search Conditions`:
 * `searchConditions().where('Severity').in(['Critical', 'High']).where('CreatedUtcTime').after(d).toJSON()`.
 */
export function searchConditions(): SearchConditionsBuilder {
  return new SearchConditionsBuilder();
}
