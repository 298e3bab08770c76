import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoSeconds, parseTimestamp } from './timestamps.js';

const instants = fc.integer({
  min: Date.parse('0001-01-01T00:00:00Z'),
  max: Date.parse('9999-12-31T23:59:59Z'),
});

describe('parseTimestamp', () => {
  it('reads back every instant isoSeconds writes, to the second', () => {
    fc.assert(
      fc.property(instants, (ms) => {
        expect(parseTimestamp(isoSeconds(ms), 'required')).toBe(Math.floor(ms / 1000) * 1000);
      }),
    );
  });

  it('gives one instant for the same time written with any offset', () => {
    fc.assert(
      fc.property(
        instants,
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (ms, offsetMinutes) => {
          const seconds = Math.floor(ms / 1000) * 1000;
          const local = isoSeconds(seconds + offsetMinutes * 60_000).slice(0, -1);
          const sign = offsetMinutes < 0 ? '-' : '+';
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
          fc.pre(!local.startsWith('-') && local.length === 19);
          expect(parseTimestamp(`${local}${offset}`, 'required')).toBe(seconds);
        },
      ),
    );
  });

  it('reads an offset-less time as UTC only when asked to, never in the machine’s zone', () => {
    expect(parseTimestamp('2023-09-05T08:30:00', 'required')).toBeNull();
    expect(parseTimestamp('2023-09-05T08:30:00', 'assume-utc')).toBe(Date.UTC(2023, 8, 5, 8, 30));
    expect(parseTimestamp('2023-09-05T08:30:00.5Z', 'required')).toBe(
      Date.UTC(2023, 8, 5, 8, 30, 0, 500),
    );
  });

  it('refuses what Date.parse accepts but the matcher never compares, and impossible dates', () => {
    for (const text of [
      'Sep 5, 2023',
      '2023/09/05 08:30:00Z',
      '2023-09-05',
      '2023-09-05T08:30Z',
      '2023-09-05 08:30:00Z',
      '2023-02-29T00:00:00Z',
      '2023-13-01T00:00:00Z',
      '2023-09-05T23:60:00Z',
      '2023-09-05T08:30:00+24:00',
      ' 2023-09-05T08:30:00Z',
    ]) {
      expect(parseTimestamp(text, 'assume-utc'), text).toBeNull();
    }
    expect(parseTimestamp('2024-02-29T00:00:00Z', 'required')).toBe(Date.UTC(2024, 1, 29));
  });
});
