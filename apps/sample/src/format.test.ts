import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { paragraph, subheading, table } from './format.js';

const longest = (text: string): number => Math.max(...text.split('\n').map((line) => line.length));

describe('table', () => {
  it('fits any rows into the width it is given', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((columns) =>
          fc.tuple(
            fc.array(fc.string({ minLength: 1, maxLength: 20 }), {
              minLength: columns,
              maxLength: columns,
            }),
            fc.array(
              fc.array(fc.lorem({ maxCount: 12 }), { minLength: columns, maxLength: columns }),
              { maxLength: 8 },
            ),
          ),
        ),
        fc.integer({ min: 60, max: 160 }),
        ([head, rows], width) => {
          expect(longest(table(head, rows, width))).toBeLessThanOrEqual(width);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('keeps its natural width when that fits, and leaves out a column empty in every row', () => {
    const rendered = table(
      ['Input', 'Note'],
      [
        ['T1569', ''],
        ['T1078', null],
      ],
      80,
    );
    expect(rendered).not.toContain('Note');
    expect(rendered.split('\n')[1]).toBe('│ Input │');
  });
});

describe('paragraph', () => {
  it('wraps long lines at spaces, keeping their indent, and leaves short ones alone', () => {
    const wrapped = paragraph(`short\n  ${'word '.repeat(30).trim()}`, 40);
    const lines = wrapped.split('\n');
    expect(lines[0]).toBe('short');
    expect(lines.slice(1).every((line) => line.startsWith('  word') && line.length <= 40)).toBe(
      true,
    );
    expect(lines.slice(1).join(' ').replace(/\s+/g, ' ').trim()).toBe('word '.repeat(30).trim());
  });

  it('underlines a wrapped heading as long as its longest line', () => {
    const [first, second, rule] = subheading('a heading '.repeat(8).trim(), 40).split('\n');
    expect(rule).toBe('-'.repeat(Math.max(first!.length, second!.length)));
  });
});
