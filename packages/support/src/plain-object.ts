// One meaning of "a plain object" for every package: what JSON.parse makes, or an object literal.

/**
 * Keys that reach an object's prototype when assigned (`__proto__`) or that code commonly
 * trusts to be inherited (`constructor`, `prototype`): refused wherever user input becomes keys.
 */
export const UNSAFE_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Whether a value is a plain JSON-like object: an object literal, `JSON.parse` output or an
 * `Object.create(null)` dictionary — not an array, a `Date`, a `Map` or a class instance.
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
