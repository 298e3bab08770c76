import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { isPlainObject } from './plain-object.js';

class Point {
  x = 1;
}

describe('isPlainObject', () => {
  it('is true for what JSON.parse makes of any object, and for null-prototype dictionaries', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        expect(isPlainObject(JSON.parse(JSON.stringify(object)))).toBe(true);
      }),
    );
    expect(isPlainObject(Object.create(null))).toBe(true);
  });

  it('is false for arrays, dates, maps, class instances and non-objects', () => {
    for (const value of [[], new Date(0), new Map(), new Point(), null, undefined, 'x', 1]) {
      expect(isPlainObject(value)).toBe(false);
    }
  });
});
