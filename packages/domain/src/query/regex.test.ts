import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegExpParser, visitRegExpAST } from '@eslint-community/regexpp';
import { escapeRegex, regexDialectProblem } from './regex.js';

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

describe('regexDialectProblem', () => {
  it.each([
    String.raw`\p{L}`,
    String.raw`\P{Lu}+`,
    String.raw`\Aabc`,
    String.raw`abc\z`,
    String.raw`\x{41}`,
    String.raw`[\h]`,
  ])('refuses %s, which JavaScript reads as plain letters', (pattern) => {
    expect(regexDialectProblem(pattern)).toContain(pattern.match(/\\[A-Za-z]/)?.[0] ?? '');
  });

  it('explains what \\p{...} means elsewhere', () => {
    expect(regexDialectProblem(String.raw`\p{L}`)).toContain('Unicode property');
  });

  it.each([
    String.raw`\d\w\s\b\B\D\W\S`,
    String.raw`\x41\u0041\cJ\t\n\r\v\f\0`,
    String.raw`\.\-\/\\`,
    escapeRegex('p{L} \\A'),
  ])('accepts %s, whose escapes mean the same everywhere', (pattern) => {
    expect(regexDialectProblem(pattern)).toBeNull();
  });

  it.each([
    [String.raw`[\B]`, String.raw`\B`],
    [String.raw`[\A-Z]`, String.raw`\A`],
    [String.raw`\k<a>`, String.raw`\k`],
    [String.raw`\c1\q`, String.raw`\q`],
    [String.raw`\x4`, String.raw`\x`],
    [String.raw`\u004`, String.raw`\u`],
  ])('refuses %s, whose %s is a letter in JavaScript', (pattern, escape) => {
    expect(regexDialectProblem(pattern)).toContain(`"${escape}" at`);
  });

  it.each([String.raw`(?<a>x)\k<a>`, String.raw`[\b\cJ\c1\c_]`, String.raw`\\A\\p`])(
    'accepts %s, whose escapes are JavaScript escapes or no escapes at all',
    (pattern) => {
      expect(regexDialectProblem(pattern)).toBeNull();
    },
  );

  it('finds the same escaped letters as a full parse of the pattern', () => {
    // The reference: every character node that is a backslash and a letter standing for that
    // letter, as a regular-expression parser reads the pattern without the u flag.
    const parser = new RegExpParser({ ecmaVersion: 2024 });
    const letterEscapes = (pattern: string): number[] => {
      const found: number[] = [];
      visitRegExpAST(parser.parsePattern(pattern, 0, pattern.length, { unicode: false }), {
        onCharacterEnter(node) {
          if (/^\\[A-Za-z]$/.test(node.raw) && node.value === node.raw.charCodeAt(1)) {
            found.push(node.start);
          }
        },
      });
      return found;
    };
    // Mostly patterns that compile, built from pieces: escapes of every letter, Annex B's odd
    // `\c` forms, classes (where `\b` and `\B` change meaning), named groups (which make `\k` a
    // backreference) and lookbehinds (which look like named groups).
    const escape = fc.constantFrom(
      ...'ABbBcdDkKpPqsSuUvwWxXzZf'.split('').map((letter) => `\\${letter}`),
      '\\c',
      '\\cJ',
      '\\c1',
      '\\c_',
      '\\x4',
      '\\x41',
      '\\u004',
      '\\u0041',
      '\\\\',
      '\\]',
      '\\k<n>',
    );
    const plain = fc.constantFrom(...'ab0_-^$.|<>=!'.split(''), '(?:)', '(?<=a)');
    const classItem = fc.oneof(escape, plain, fc.constantFrom('a-z', '[', '^'));
    const cls = fc.array(classItem, { maxLength: 4 }).map((items) => `[${items.join('')}]`);
    const atom = fc.oneof(escape, plain, cls);
    const sequence = fc.array(atom, { minLength: 1, maxLength: 6 }).map((atoms) => atoms.join(''));
    const pattern = fc
      .tuple(sequence, fc.boolean(), sequence)
      .map(([before, named, after]) => (named ? `${before}(?<n>x)${after}` : before + after));
    fc.assert(
      fc.property(pattern, (pattern) => {
        try {
          new RegExp(pattern);
        } catch {
          return true;
        }
        const expected = letterEscapes(pattern)[0];
        const problem = regexDialectProblem(pattern);
        return expected === undefined
          ? problem === null
          : (problem?.includes(` at ${expected}:`) ?? false);
      }),
      { numRuns: 3000 },
    );
  });
});
