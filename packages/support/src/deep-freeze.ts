/**
 * Freezes a value and everything reachable from it, in place, and returns it. Used for data that
 * one module hands to many callers (a parsed document, a seed, a built condition), where a caller
 * that mutated it would silently change it for all the others.
 *
 * Iterative, so depth is bounded by memory rather than the call stack: data read from a request can
 * nest deeper than a recursive walk survives.
 */
export function deepFreeze<T>(value: T): T {
  const pending: unknown[] = [value];
  for (let next = pending.pop(); next !== undefined || pending.length > 0; next = pending.pop()) {
    if (next === null || typeof next !== 'object' || Object.isFrozen(next)) continue;
    Object.freeze(next);
    for (const child of Object.values(next)) pending.push(child);
  }
  return value;
}
