import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CliUsageError } from './errors.js';
import { collectEventIds, dateParser, keyValueCollector, MAX_EVENT_RANGE } from './parse-flags.js';

describe('collectEventIds', () => {
  it('reads any comma list of positive integers back in order, across repeated flags', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { minLength: 1 }), {
          minLength: 1,
          maxLength: 4,
        }),
        (flags) => {
          const parsed = flags.reduce<number[]>(
            (previous, ids) => collectEventIds(ids.join(', '), previous),
            [],
          );
          expect(parsed).toEqual(flags.flat());
        },
      ),
      { numRuns: 200 },
    );
  });

  it.each(['', ' ', ',', ' , '])('names the flag for a value holding no ID (%j)', (value) => {
    expect(() => collectEventIds(value)).toThrow(/^--event: .* holds no event ID/);
  });

  it('expands an inclusive range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e9 }),
        fc.integer({ min: 0, max: 50 }),
        (from, span) => {
          const ids = collectEventIds(`${from}-${from + span}`);
          expect(ids).toHaveLength(span + 1);
          expect(ids[0]).toBe(from);
          expect(ids.at(-1)).toBe(from + span);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses anything that is not a positive integer, naming the flag and the value', () => {
    for (const bad of ['12a', '-3', '1.5', '0', '1e3', '9007199254740993', 'x-y']) {
      expect(() => collectEventIds(bad)).toThrow(CliUsageError);
      expect(() => collectEventIds(bad)).toThrow(/--event: .*'/);
    }
  });

  it('refuses ranges that run backwards or expand past the limit', () => {
    expect(() => collectEventIds('10-9')).toThrow(/ends before it starts/);
    expect(() => collectEventIds(`1-${MAX_EVENT_RANGE + 1}`)).toThrow(/more than/);
    expect(collectEventIds(`1-${MAX_EVENT_RANGE}`)).toHaveLength(MAX_EVENT_RANGE);
  });
});

describe('dateParser', () => {
  const since = dateParser('--since');

  it('reads every instant written as ISO 8601 UTC or with an offset back to the same instant', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1971-01-01'), max: new Date('2199-12-31'), noInvalidDate: true }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (date, offsetMinutes) => {
          const whole = new Date(Math.floor(date.getTime() / 1000) * 1000);
          expect(since(whole.toISOString()).getTime()).toBe(whole.getTime());
          const local = new Date(whole.getTime() + offsetMinutes * 60_000)
            .toISOString()
            .slice(0, 19);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          expect(since(`${local}${offset}`).getTime()).toBe(whole.getTime());
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads a bare date as midnight UTC', () => {
    expect(since('2024-05-01').toISOString()).toBe('2024-05-01T00:00:00.000Z');
  });

  it('refuses impossible days, free text and date-times without a zone, naming the flag', () => {
    expect(() => since('2024-02-30')).toThrow(/--since: '2024-02-30'/);
    expect(() => since('yesterday')).toThrow(/--since: 'yesterday'/);
    expect(() => since('May 1, 2024')).toThrow(CliUsageError);
    expect(() => since('2024-05-01T10:00')).toThrow(/no time zone/);
  });
});

describe('keyValueCollector', () => {
  const where = keyValueCollector('--where', 'Status=Open');

  it('splits at the first = only, so values may contain =', () => {
    expect(where('Note=a=b', [])).toEqual([{ key: 'Note', value: 'a=b' }]);
    expect(where('Empty=', [{ key: 'x', value: 'y' }])).toEqual([
      { key: 'x', value: 'y' },
      { key: 'Empty', value: '' },
    ]);
  });

  it('refuses text without a key, with an example of the flag', () => {
    expect(() => where('noequals', [])).toThrow(
      /--where: 'noequals' is not key=value \(e\.g\. --where Status=Open\)/,
    );
    expect(() => where('=value', [])).toThrow(CliUsageError);
  });
});
