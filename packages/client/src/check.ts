/** The numeric rules options follow; the text doubles as the error message (ASCII, so bundles need no escapes). */
export type NumberRule = 'integer >= 1' | 'number >= 0' | 'number > 0';

/** Returns `value` when it is a finite number following `rule`, else throws naming the option. */
export function checkNumber(name: string, value: number, rule: NumberRule): number {
  const ok =
    Number.isFinite(value) &&
    (rule === 'integer >= 1'
      ? Number.isSafeInteger(value) && value >= 1
      : rule === 'number >= 0'
        ? value >= 0
        : value > 0);
  if (!ok) throw new RangeError(`${name} must be a finite ${rule}, got ${String(value)}`);
  return value;
}
