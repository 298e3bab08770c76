import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { deepFreeze } from './deep-freeze.js';

const isDeeplyFrozen = (value: unknown): boolean =>
  value === null ||
  typeof value !== 'object' ||
  (Object.isFrozen(value) && Object.values(value).every(isDeeplyFrozen));

describe('deepFreeze', () => {
  it('freezes every object and array reachable from the value, and returns the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(deepFreeze(value)).toBe(value);
        expect(isDeeplyFrozen(value)).toBe(true);
      }),
    );
  });

  it('survives nesting far deeper than the call stack allows', () => {
    let nested: Record<string, unknown> = {};
    const root = nested;
    for (let depth = 0; depth < 200_000; depth++) nested = nested['child'] = {};
    deepFreeze(root);
    expect(Object.isFrozen(nested)).toBe(true);
  });

  it('handles cycles and leaves frozen parts as they are', () => {
    const cyclic: Record<string, unknown> = { list: [1, 2] };
    cyclic['self'] = cyclic;
    deepFreeze(cyclic);
    expect(Object.isFrozen(cyclic['list'])).toBe(true);
  });
});
