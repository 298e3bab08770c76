import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeRegex } from '../regex.js';
import { checkRegexSafety } from './regex-safety.js';

describe('checkRegexSafety', () => {
  it.each([
    '^Incident Title',
    'Critical|High',
    '^Open|Closed$',
    'phishing.*(invoice|payment)',
    '^[A-Z]{3}-\\d{4}$',
    '(?:ab){2}',
    '(a{2})+',
    '^\\d+\\d+x',
    '^.*error.*timeout',
    'beacon.*',
    '.{0,100}X',
    escapeRegex('C:\\Windows\\System32\\cmd.exe'),
  ])('accepts %s', (pattern) => {
    expect(checkRegexSafety(pattern)).toBeNull();
  });

  it.each([
    ['(a+)+$', 'nested quantifiers'],
    ['^(\\w+\\s?)*$', 'nested quantifiers'],
    ['(a?)*b', 'nested quantifiers'],
    ['(.*a){12}', 'nested quantifiers'],
    ['(a|a)*$', 'alternation'],
    ['(a|aa)+$', 'alternation'],
    ['(?:x+|y)+z', 'alternation'],
    ['(\\w+)\\s\\1', 'backreference'],
    ['.*a.*b.*c.*d', '4 variable quantifiers'],
    ['\\d+\\d+x', 'backtracking potential'],
    ['.*a.*b', 'backtracking potential'],
    ['(', 'does not compile'],
    ['a'.repeat(1001), 'characters long'],
  ])('rejects %s (%s)', (pattern, reason) => {
    expect(checkRegexSafety(pattern)).toContain(reason);
  });

  // The reviewer's patterns: bounded quantifiers backtrack like unbounded ones on short titles
  // (k = 4 took 142 ms on a 60-character title, k = 6 16 s), so they count toward both limits.
  it.each([3, 4, 5, 6, 10])('rejects .{0,100} repeated %i times before X', (k) => {
    expect(checkRegexSafety(`${'.{0,100}'.repeat(k)}X`)).not.toBeNull();
  });

  it.each([
    ['\\d{1,100}'.repeat(5), '5 variable quantifiers'],
    ['\\d{1,100}'.repeat(3), 'backtracking potential'],
    ['x?'.repeat(4), '4 variable quantifiers'],
  ])('counts bounded quantifiers too: rejects %s (%s)', (pattern, reason) => {
    expect(checkRegexSafety(pattern)).toContain(reason);
  });

  it('does not count fixed repetitions, whose minimum and maximum agree', () => {
    expect(checkRegexSafety('^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}$')).toBeNull();
  });

  it('counts every start position of an unanchored or multiline pattern', () => {
    expect(checkRegexSafety('^\\d+\\d+x')).toBeNull();
    expect(checkRegexSafety('^\\d+\\d+x', { flags: 'm' })).toContain('backtracking potential');
    expect(checkRegexSafety('^a.*b|c.*d')).toContain('backtracking potential');
  });

  it('counts the choices of an alternation outside repetitions', () => {
    const choices = '(?:a|b)'.repeat(30);
    expect(checkRegexSafety(`^${choices}`)).toContain('backtracking potential');
    expect(checkRegexSafety('^(?:a|b)(?:c|d)')).toBeNull();
  });

  it('lets the caller set the limits', () => {
    expect(
      checkRegexSafety('.*a.*b.*c.*d', {
        maxVariableQuantifiers: 4,
        maxBacktrackingPotential: Number.POSITIVE_INFINITY,
      }),
    ).toBeNull();
    expect(checkRegexSafety('.*a.*b', { maxSubjectLength: 100 })).toBeNull();
    expect(checkRegexSafety('^a.*b', { maxBacktrackingPotential: 100 })).toContain(
      'at most 1.0e+2',
    );
    expect(checkRegexSafety('abcdef', { maxLength: 5 })).toContain('at most 5');
  });

  it('never throws on arbitrary patterns', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...'ab()[]{}|*+?\\^$.,0123-=!<:'.split('')),
          maxLength: 30,
        }),
        (pattern) => {
          const result = checkRegexSafety(pattern);
          return result === null || typeof result === 'string';
        },
      ),
      { numRuns: 500 },
    );
  });

  it('only accepts patterns that compile', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...'ab()[]{}|*+?\\'.split('')), maxLength: 12 }),
        (pattern) => {
          if (checkRegexSafety(pattern) !== null) return true;
          new RegExp(pattern);
          return true;
        },
      ),
      { numRuns: 300 },
    );
  });
});
