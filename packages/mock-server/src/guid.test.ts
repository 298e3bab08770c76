import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attackGuid } from './guid.js';

describe('attackGuid', () => {
  it('gives an upper-case version 5 UUID', () => {
    expect(attackGuid('TA0003')).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-5[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12}$/,
    );
  });

  it('is stable for an ID whatever its case', () => {
    expect(attackGuid('t1078.004')).toBe(attackGuid('T1078.004'));
  });

  it('gives distinct IDs distinct GUIDs', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), fc.string({ minLength: 1 }), (a, b) => {
        fc.pre(a.toUpperCase() !== b.toUpperCase());
        expect(attackGuid(a)).not.toBe(attackGuid(b));
      }),
      { numRuns: 200 },
    );
  });
});
