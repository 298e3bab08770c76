import type { SearchConditions, SearchOperators, SearchScalar } from './types.js';

declare const checkedBrand: unique symbol;

/**
 * `Search Conditions` this package has checked against D3's grammar: what
 * `parseSearchConditions` returns and what a builder's `toJSON()` gives. They are deeply frozen,
 * so they cannot have changed since; `parseSearchConditions` hands them back as they are and the
 * matcher (`@d3soar/domain/query/match`) compiles them without checking again. Assignable
 * wherever `SearchConditions` or a plain JSON object is expected.
 */
export type CheckedSearchConditions = {
  readonly [field: string]: SearchScalar | Readonly<SearchOperators>;
} & { readonly [checkedBrand]: true };

/*
 * The brand alone is a promise any cast can forge, and an unfrozen object could be edited after
 * its check; this set holds only the frozen objects the parser and the builder produced, so a
 * value is trusted only when it really was checked and cannot have changed since.
 */
const checkedValues = new WeakSet<object>();

/**
 * Freezes conditions and everything inside, which the grammar bounds at three levels (conditions,
 * operator objects, `$in` arrays and `{"$date"}` objects): a walk of those levels costs about half
 * as much as a generic recursive one, and builders pay it on every `toJSON`.
 */
function freeze(conditions: SearchConditions): void {
  for (const field in conditions) {
    const condition = conditions[field];
    if (typeof condition !== 'object') continue;
    for (const operator in condition) {
      const operand: unknown = condition[operator as keyof SearchOperators];
      if (typeof operand === 'object' && operand !== null) Object.freeze(operand);
    }
    Object.freeze(condition);
  }
  Object.freeze(conditions);
}

/**
 * Marks conditions that have just been checked, freezing them (and everything inside) first.
 * Only for objects built by this package from checked parts, never for a caller's object.
 */
export function markChecked(conditions: SearchConditions): CheckedSearchConditions {
  freeze(conditions);
  checkedValues.add(conditions);
  return conditions as CheckedSearchConditions;
}

/** Whether a value came out of {@link markChecked}: checked, frozen, so still valid. */
export function isChecked(value: unknown): value is CheckedSearchConditions {
  return typeof value === 'object' && value !== null && checkedValues.has(value);
}
