import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { describeValue } from './describe-value.js';

describe('describeValue', () => {
  it('shows JSON values as JSON, cut to 80 characters', () => {
    expect(describeValue('abc')).toBe('"abc"');
    expect(describeValue({ k: 1 })).toBe('{"k":1}');
    expect(describeValue('x'.repeat(200))).toHaveLength(80);
  });

  it('never throws and never exceeds 80 characters, whatever the value', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    const throwing = {
      toJSON() {
        throw new Error('no');
      },
    };
    for (const value of [10n, Symbol('s'), () => 1, cyclic, throwing, undefined]) {
      expect(describeValue(value).length).toBeGreaterThan(0);
    }
    fc.assert(
      fc.property(fc.anything(), (value) => {
        expect(describeValue(value).length).toBeLessThanOrEqual(80);
      }),
    );
  });
});
