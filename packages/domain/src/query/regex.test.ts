import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkRegexSafety, escapeRegex } from './regex.js';

describe('escapeRegex', () => {
  it('makes any text match itself literally, and only itself', () => {
    fc.assert(
      fc.property(fc.string(), fc.string({ minLength: 1, maxLength: 3 }), (text, extra) => {
        const pattern = new RegExp(`^${escapeRegex(text)}$`);
        return pattern.test(text) && !pattern.test(text + extra);
      }),
      { numRuns: 300 },
    );
  });

  it('escapes every metacharacter', () => {
    expect(escapeRegex('1.2 (beta) [x] $5 a-b ^c* d+ e? {f} g|h \\')).toBe(
      '1\\.2 \\(beta\\) \\[x\\] \\$5 a\\-b \\^c\\* d\\+ e\\? \\{f\\} g\\|h \\\\',
    );
  });
});

describe('checkRegexSafety', () => {
  it.each([
    '^Incident Title',
    'Critical|High',
    '^Open|Closed$',
    'phishing.*(invoice|payment)',
    '^[A-Z]{3}-\\d{4}$',
    '(?:ab){2}',
    '(a{2})+',
    '\\d+\\d+x',
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
    ['.*a.*b.*c.*d', 'unbounded quantifiers'],
    ['(', 'does not compile'],
    ['a'.repeat(1001), 'characters long'],
  ])('rejects %s (%s)', (pattern, reason) => {
    expect(checkRegexSafety(pattern)).toContain(reason);
  });

  it('lets the caller set the limits', () => {
    expect(checkRegexSafety('.*a.*b.*c.*d', { maxUnboundedQuantifiers: 4 })).toBeNull();
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
