/**
 * Whether a value is a JSON object: not `null`, not an array. The mock's one test for "an object of
 * fields" — request bodies, seed items, fault rules, `Additional` values.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
