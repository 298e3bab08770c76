import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileLinearRegex, type LinearRegex } from './linear-regex.js';

/** The compiled regex (fails the test with the reason when RE2 refuses it). */
function compiled(pattern: string, options = ''): LinearRegex {
  const result = compileLinearRegex(pattern, options);
  if (typeof result === 'string') throw new Error(`${pattern} was refused: ${result}`);
  return result;
}

describe('compileLinearRegex', () => {
  it('agrees with JavaScript RegExp on random patterns, flags and texts', () => {
    // Characters whose meaning differs on purpose (astral characters, ſ and the Kelvin sign
    // under i, \r and U+2028 as line ends under m) are left out: the README lists them.
    const patternUnit = fc.constantFrom(
      ...'ab.^$|*+?()[]{}-,0129\\'.split(''),
      '\\d',
      '\\w',
      '\\s',
      '\\S',
      '\\b',
      '[^a]',
      '[\\s\\d]',
      '[^]',
      '(?:',
      'A',
      ' ',
      '\\n',
      '\\x41',
      '\\u00e9',
      '\u00e9',
    );
    const textUnit = fc.constantFrom(
      'a',
      'b',
      'A',
      'B',
      '0',
      '9',
      ' ',
      '\n',
      '\t',
      '\u00a0',
      '\u00e9',
      '\u2003',
      '_',
      '-',
    );
    fc.assert(
      fc.property(
        fc.string({ unit: patternUnit, maxLength: 10 }),
        fc.constantFrom('', 'i', 'm', 's', 'ims'),
        fc.string({ unit: textUnit, maxLength: 12 }),
        (pattern, options, text) => {
          let native: RegExp;
          try {
            native = new RegExp(pattern, options);
          } catch {
            return true;
          }
          const linear = compileLinearRegex(pattern, options);
          if (typeof linear === 'string') {
            // Only what RE2 lacks may be refused.
            expect(linear).toMatch(/lookahead|lookbehind|backreference|repetition count/);
            return true;
          }
          expect(linear.test(text)).toBe(native.test(text));
          return true;
        },
      ),
      { numRuns: 1500 },
    );
    // 1,500 random cases take seconds when other jobs share the machine's two cores.
  }, 60_000);

  it.each([
    ['\\s', '\u00a0', true],
    ['\\s', '\u2003', true],
    ['\\S', '\u00a0', false],
    ['.', '\r', false],
    ['.', '\u2028', false],
    ['[^]', '\n', true],
    ['a[]', 'a', false],
    ['\\1', '\u0001', true],
    ['x{', 'x{', true],
    ['a{,2}', 'a{,2}', true],
    ['^b', 'a\nb', false],
    ['a$', 'a\n', false],
    ['\\u0041', 'A', true],
    ['[\\b]', '\b', true],
    ['(?<year>\\d{4})', '2023', true],
    ['😀', 'x😀', true],
  ])('reads %j as JavaScript does (on %j: %s)', (pattern, text, expected) => {
    expect(new RegExp(pattern).test(text)).toBe(expected);
    expect(compiled(pattern).test(text)).toBe(expected);
  });

  it('applies the options i, m and s', () => {
    expect(compiled('^incident', 'i').test('INCIDENT 7')).toBe(true);
    expect(compiled('^incident').test('INCIDENT 7')).toBe(false);
    expect(compiled('^b$', 'm').test('a\nb\nc')).toBe(true);
    expect(compiled('a.b', 's').test('a\nb')).toBe(true);
    expect(compiled('a.b').test('a\nb')).toBe(false);
  });

  it('folds case before negating a class under i, as JavaScript does', () => {
    for (const text of ['a', 'A']) {
      expect(compiled('[^a]', 'i').test(text)).toBe(false);
      expect(compiled('^[^a-c]$', 'i').test(text)).toBe(false);
    }
    expect(compiled('[^a]', 'i').test('b')).toBe(true);
    expect(compiled('[^a]').test('A')).toBe(true);
  });

  it.each([
    ['(a)\\1', 'backreference'],
    ['(?<x>a)\\k<x>', 'backreference'],
    ['a(?=b)', 'lookahead'],
    ['a(?!b)', 'lookahead'],
    ['(?<=a)b', 'lookbehind'],
    ['(?<!a)b', 'lookbehind'],
    ['a{1,1001}', 'repetition count'],
    ['(?:a{100}){100}', 'repetition count'],
  ])('refuses %s, which RE2 cannot run (%s)', (pattern, reason) => {
    const result = compileLinearRegex(pattern);
    expect(typeof result).toBe('string');
    expect(result).toContain(reason);
  });

  it('explains a pattern that does not parse', () => {
    expect(compileLinearRegex('(')).toContain('does not parse');
  });

  it.each([
    ['(a+)+$', `${'a'.repeat(50_000)}!`, 'a'.repeat(50_000)],
    ['(a|a)*b', 'a'.repeat(50_000), `${'a'.repeat(50_000)}b`],
    ['(x+x+)+y', 'x'.repeat(50_000), `${'x'.repeat(50_000)}y`],
    [`${'.{0,100}'.repeat(10)}X`, 'a'.repeat(60), `${'a'.repeat(60)}X`],
    [`${'.{0,100}'.repeat(10)}X`, 'a'.repeat(50_000), `X${'a'.repeat(50_000)}`],
    [`${'\\d{1,100}'.repeat(5)}x`, '1'.repeat(50_000), `${'1'.repeat(50_000)}x`],
    ['.*a.*b.*c.*d', 'abc'.repeat(20_000), `${'abc'.repeat(20_000)}d`],
  ])('runs the catastrophic pattern %s to its answer on long texts', (pattern, miss, hit) => {
    // A backtracking engine takes from seconds to centuries on the first text; RE2 runs in time
    // linear in the text, so both answers come back.
    const regex = compiled(pattern);
    expect(regex.test(miss)).toBe(false);
    expect(regex.test(hit)).toBe(true);
  });
});
