/**
 * What the builder's date constraints accept: a `Date`, epoch milliseconds (from 2000-01-01 on:
 * smaller numbers are taken for epoch seconds and refused), or an ISO 8601 string.
 */
export type DateInput = Date | number | string;

/**
 * ISO 8601 extended format: a date, optionally a time (minutes or seconds, optional fraction),
 * optionally an offset (`Z`, `±hh:mm`, `±hhmm`, `±hh`).
 */
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Epoch ms of a UTC calendar date and time, or `null` when a part is out of range (Feb 30, 25:00). */
function utcInstant(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
): number | null {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear does not, so it handles those.
  if (year >= 100) return Date.UTC(year, month - 1, day, hour, minute, second);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  return date.getTime();
}

/** The number written by the ASCII digits at `start` to `end` (exclusive), or -1 if any is not one. */
function digitsAt(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Epoch ms of a strict `yyyy-MM-ddTHH:mm:ssZ` string, or `null`. Read character by character
 * rather than with a regular expression: the builder and parser do this for every date, and this
 * avoids allocating a match array.
 */
export function parseSearchDate(text: string): number | null {
  if (
    text.length !== 20 ||
    text[4] !== '-' ||
    text[7] !== '-' ||
    text[10] !== 'T' ||
    text[13] !== ':' ||
    text[16] !== ':' ||
    text[19] !== 'Z'
  ) {
    return null;
  }
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 7);
  const day = digitsAt(text, 8, 10);
  const hour = digitsAt(text, 11, 13);
  const minute = digitsAt(text, 14, 16);
  const second = digitsAt(text, 17, 19);
  if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return null;
  return utcInstant(year, month, day, hour, minute, second);
}

/**
 * Epoch ms (fraction truncated to ms) of an ISO 8601 string, or `null`. A date alone is midnight
 * UTC. A date and time without an offset is read as UTC when `assumeUtc`, and rejected otherwise.
 */
export function parseIsoInstant(text: string, assumeUtc: boolean): number | null {
  if (text.length === 20) {
    const strict = parseSearchDate(text);
    if (strict !== null) return strict;
  }
  const match = ISO_8601.exec(text);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, offsetH, offsetM] = match;
  const hasTime = h !== undefined;
  const hasOffset = zulu !== undefined || sign !== undefined;
  if (hasTime && !hasOffset && !assumeUtc) return null;
  const base = utcInstant(
    Number(y),
    Number(mo),
    Number(d),
    Number(h ?? 0),
    Number(mi ?? 0),
    Number(s ?? 0),
  );
  if (base === null) return null;
  const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  if (sign !== undefined) {
    const hours = Number(offsetH);
    const minutes = Number(offsetM ?? 0);
    if (hours > 23 || minutes > 59) return null;
    offset = (sign === '-' ? -1 : 1) * (hours * 60 + minutes) * 60_000;
  }
  return base + ms - offset;
}

const MS_PER_DAY = 86_400_000;
/** Epoch ms of 0000-01-01T00:00:00Z and of 10000-01-01T00:00:00Z: the four-digit years. */
const MIN_INSTANT = -62_167_219_200_000;
const END_INSTANT = 253_402_300_800_000;

function pad2(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}

/**
 * `yyyy-MM-ddTHH:mm:ssZ` for an instant, truncated to whole seconds; `null` outside years
 * 0000–9999. Computed arithmetically (days → civil date, after Howard Hinnant's `civil_from_days`)
 * rather than through `Date#toISOString`, which allocates a Date and a longer string to cut:
 * formatting is most of what building a date condition costs.
 */
export function formatSearchDate(epochMs: number): string | null {
  if (!Number.isFinite(epochMs) || epochMs < MIN_INSTANT || epochMs >= END_INSTANT) return null;
  const seconds = Math.floor(epochMs / 1000);
  const days = Math.floor((seconds * 1000) / MS_PER_DAY);
  const secondOfDay = seconds - days * 86_400;
  // civil_from_days: shift the epoch to 0000-03-01 so leap days fall at the end of a year.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const hour = Math.floor(secondOfDay / 3600);
  const minute = Math.floor((secondOfDay % 3600) / 60);
  const second = secondOfDay % 60;
  return `${String(year).padStart(4, '0')}-${pad2(month)}-${pad2(day)}T${pad2(hour)}:${pad2(minute)}:${pad2(second)}Z`;
}

/**
 * 2000-01-01T00:00:00Z in epoch ms. Numbers below it are refused: epoch *seconds* of any date
 * from 1970 to 2286 (1693526400 for 2023-09-01) read as milliseconds fall in January 1970, and
 * incidents are not that old, so such a number is almost surely seconds passed by mistake.
 */
const EARLIEST_EPOCH_MS = 946_684_800_000;

/**
 * Why a builder date input is unusable, or its epoch ms. Numbers are epoch milliseconds from
 * 2000-01-01 on (earlier numbers are taken for epoch seconds and refused). Strings must be ISO 8601 with an offset
 * (`Z`, `+02:00`) or a bare date (`2023-09-01`, midnight UTC): a time without an offset would
 * depend on the machine's time zone, which is exactly the mistake the builder exists to prevent.
 */
export function instantOfDateInput(input: unknown): number | string {
  if (input instanceof Date) {
    const ms = input.getTime();
    return Number.isNaN(ms) ? 'an invalid Date' : ms;
  }
  if (typeof input === 'number') {
    if (!Number.isFinite(input)) return `${String(input)}, not a finite epoch-milliseconds value`;
    if (input < EARLIEST_EPOCH_MS) {
      return `${input}, which as epoch milliseconds is before 2000-01-01 (${formatSearchDate(input) ?? 'out of range'}): milliseconds expected — epoch seconds such as Date.now() / 1000 must be multiplied by 1000 (pass a Date or an ISO string for earlier dates)`;
    }
    return input;
  }
  if (typeof input === 'string') {
    const ms = parseIsoInstant(input.trim(), false);
    return ms === null
      ? `${JSON.stringify(input)}, not an ISO 8601 date (a date, or a date and time with Z or an offset such as +02:00)`
      : ms;
  }
  return `${input === null ? 'null' : typeof input}, not a Date, epoch milliseconds or ISO 8601 string`;
}
