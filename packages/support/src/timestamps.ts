/**
 * Timestamps as D3 writes them, `yyyy-MM-ddTHH:mm:ssZ` (the form of the vendor's samples and of
 * `$date` in Search Conditions), and the one strict reader of ISO 8601 instants every package
 * uses: a time without an offset is UTC or refused, never the machine's zone.
 */

/** `yyyy-MM-ddTHH:mm:ssZ` for an instant, milliseconds dropped. */
export function isoSeconds(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The current time as `yyyy-MM-ddTHH:mm:ssZ`. */
export function nowIso(): string {
  return isoSeconds(Date.now());
}

/** A date and a time to the second, an optional fraction, then `Z`, an offset, or nothing. */
const TIMESTAMP =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:(Z)|([+-])(\d{2}):(\d{2}))?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Epoch milliseconds of an ISO 8601 timestamp (`2023-09-05T08:30:00Z`, `2023-09-05T10:30:00+02:00`,
 * with an optional fraction), or `null` for anything else, including out-of-range parts (Feb 30,
 * 24:00, an offset beyond ±23:59). Without an offset the time is read as UTC when `offset` is
 * `'assume-utc'` and refused when it is `'required'`.
 *
 * Why not `Date.parse`: it accepts forms no D3 field holds (`Sep 5, 2023`) and reads offset-less
 * times in the machine's time zone.
 */
export function parseTimestamp(text: string, offset: 'required' | 'assume-utc'): number | null {
  const match = TIMESTAMP.exec(text);
  if (match === null) return null;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetH, offsetM] = match;
  if (zulu === undefined && sign === undefined && offset === 'required') return null;
  const [year, month, day, hour, minute, second] = [y, mo, d, h, mi, s].map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, keeps years 0–99 as written.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, Number((fraction ?? '0').slice(0, 3).padEnd(3, '0')));
  let offsetMs = 0;
  if (sign !== undefined) {
    const hours = Number(offsetH);
    const minutes = Number(offsetM);
    if (hours > 23 || minutes > 59) return null;
    offsetMs = (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return date.getTime() - offsetMs;
}
