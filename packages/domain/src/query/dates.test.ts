import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatSearchDate, instantOfDateInput, parseIsoInstant, parseSearchDate } from './dates.js';

const instants = fc
  .date({
    min: new Date('0001-01-01T00:00:00Z'),
    max: new Date('9999-12-31T23:59:59Z'),
    noInvalidDate: true,
  })
  .map((date) => date.getTime());

describe('parseSearchDate', () => {
  it("reads D3's format", () => {
    expect(parseSearchDate('2023-08-01T00:00:00Z')).toBe(Date.UTC(2023, 7, 1));
    expect(parseSearchDate('2024-05-15T14:32:00Z')).toBe(Date.UTC(2024, 4, 15, 14, 32));
  });

  it.each([
    '2023-02-30T00:00:00Z',
    '2023-13-01T00:00:00Z',
    '2023-01-01T24:00:00Z',
    '2023-01-01T00:60:00Z',
    '2023-01-01T00:00:00.000Z',
    '2023-01-01T00:00:00+00:00',
    '2023-01-01T00:00:00',
    '2023-01-01',
    ' 2023-01-01T00:00:00Z',
  ])('rejects %j', (text) => {
    expect(parseSearchDate(text)).toBeNull();
  });

  it('reads back whatever formatSearchDate writes, at whole seconds', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        const text = formatSearchDate(ms);
        return text !== null && parseSearchDate(text) === Math.floor(ms / 1000) * 1000;
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseIsoInstant', () => {
  it.each([
    ['2023-09-01T02:00:00+02:00', Date.UTC(2023, 8, 1)],
    ['2023-08-31T19:00:00-05:00', Date.UTC(2023, 8, 1)],
    ['2023-09-01T05:30:00+0530', Date.UTC(2023, 8, 1)],
    ['2023-09-01T01:00+01', Date.UTC(2023, 8, 1)],
    ['2023-09-01T00:00:00.123456Z', Date.UTC(2023, 8, 1) + 123],
    ['2023-09-01', Date.UTC(2023, 8, 1)],
  ])('reads %s as an instant', (text, ms) => {
    expect(parseIsoInstant(text, false)).toBe(ms);
  });

  it('reads a time without an offset as UTC only when told to', () => {
    expect(parseIsoInstant('2023-09-01T00:00:00', false)).toBeNull();
    expect(parseIsoInstant('2023-09-01T00:00:00', true)).toBe(Date.UTC(2023, 8, 1));
  });

  it('agrees with Date.parse on ISO strings with an offset', () => {
    const offsets = fc.integer({ min: -14 * 60, max: 14 * 60 }).map((minutes) => {
      const sign = minutes < 0 ? '-' : '+';
      const abs = Math.abs(minutes);
      return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
    });
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1970-01-02'), max: new Date('9999-12-30'), noInvalidDate: true }),
        offsets,
        (date, offset) => {
          const text = `${date.toISOString().slice(0, 23)}${offset}`;
          return parseIsoInstant(text, false) === Date.parse(text);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('formatSearchDate', () => {
  it('writes what Date#toISOString writes, without the milliseconds, for every four-digit year', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -62_167_219_200_000, max: Date.UTC(9999, 11, 31, 23, 59, 59, 999) }),
        (ms) => {
          const floored = Math.floor(ms / 1000) * 1000;
          return formatSearchDate(ms) === `${new Date(floored).toISOString().slice(0, 19)}Z`;
        },
      ),
      { numRuns: 500 },
    );
  });

  it('truncates to whole seconds in UTC', () => {
    expect(formatSearchDate(Date.UTC(2024, 4, 15, 14, 32, 5, 999))).toBe('2024-05-15T14:32:05Z');
  });

  it('refuses instants outside four-digit years', () => {
    expect(formatSearchDate(Date.UTC(10000, 0, 1))).toBeNull();
    expect(formatSearchDate(-62198755200001)).toBeNull();
    expect(formatSearchDate(Number.NaN)).toBeNull();
  });
});

describe('instantOfDateInput', () => {
  it('takes Dates, epoch milliseconds and ISO strings', () => {
    const ms = Date.UTC(2023, 8, 1, 0, 0, 5);
    expect(instantOfDateInput(new Date(5000))).toBe(5000);
    expect(instantOfDateInput(ms)).toBe(ms);
    expect(instantOfDateInput('1970-01-01T00:00:05Z')).toBe(5000);
  });

  it('takes numbers from 2000-01-01 on, and refuses earlier ones as probable epoch seconds', () => {
    const y2k = Date.UTC(2000, 0, 1);
    expect(instantOfDateInput(y2k)).toBe(y2k);
    for (const input of [y2k - 1, 1_693_526_400, 0, -1]) {
      expect(instantOfDateInput(input)).toContain('milliseconds expected');
    }
  });

  it.each([
    [new Date(Number.NaN)],
    [Number.POSITIVE_INFINITY],
    ['yesterday'],
    ['2023-09-01T00:00:00'],
    [null],
    [{}],
  ])('explains why %s is no date', (input) => {
    expect(typeof instantOfDateInput(input)).toBe('string');
  });
});
