import { CliUsageError } from './errors.js';

/**
 * Commander option parsers. Each turns one raw flag value into a typed value and throws a
 * `CliUsageError` naming the flag when the text cannot mean what the flag expects, so the user
 * sees which flag to fix instead of an error from deep inside a package.
 */

/** The most event IDs a single range (`100-200`) may expand to; guards against typos like `1-9999999999`. */
export const MAX_EVENT_RANGE = 100_000;

/** Accumulates a repeatable flag whose values may also be comma lists (`--x a,b --x c`). */
function collectList(value: string, previous: string[] = []): string[] {
  const items = value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  return [...previous, ...items];
}

/** Accumulates a repeatable flag verbatim (values may contain commas, e.g. indicators or names). */
export function collectRepeated(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/**
 * Parses `--event` values: integers, comma lists and inclusive ranges (`60250-60260`).
 * Event IDs are D3's integer keys, so anything else is refused here rather than sent.
 */
export function collectEventIds(value: string, previous: number[] = []): number[] {
  const ids = [...previous];
  const items = collectList(value);
  if (items.length === 0) {
    throw new CliUsageError(
      `--event: '${value}' holds no event ID (give one such as 60250, a list 60250,60251 or a range 60250-60260)`,
    );
  }
  for (const item of items) {
    const range = /^(\d+)\s*-\s*(\d+)$/.exec(item);
    if (range) {
      const from = toEventId(range[1] ?? '', item);
      const to = toEventId(range[2] ?? '', item);
      if (to < from) {
        throw new CliUsageError(`--event: range '${item}' ends before it starts`);
      }
      if (to - from + 1 > MAX_EVENT_RANGE) {
        throw new CliUsageError(
          `--event: range '${item}' expands to more than ${MAX_EVENT_RANGE} event IDs`,
        );
      }
      for (let id = from; id <= to; id++) ids.push(id);
    } else {
      ids.push(toEventId(item, item));
    }
  }
  return ids;
}

function toEventId(text: string, item: string): number {
  if (!/^\d+$/.test(text)) {
    throw new CliUsageError(
      `--event: '${item}' is not an event ID (expected a positive integer such as 60250, a list 60250,60251 or a range 60250-60260)`,
    );
  }
  const id = Number(text);
  if (!Number.isSafeInteger(id) || id <= 0) {
    throw new CliUsageError(`--event: '${item}' is not a positive safe integer`);
  }
  return id;
}

/** A `key=value` pair from a repeatable flag such as `--where` or `--data`. */
export interface KeyValue {
  /** The text before the first `=`, trimmed. */
  key: string;
  /** The text after the first `=`, verbatim (it may itself contain `=`). */
  value: string;
}

/**
 * Builds a parser for a repeatable `key=value` flag; `flag` and `example` (e.g. `Status=Open`)
 * appear in its error message.
 */
export function keyValueCollector(flag: string, example: string) {
  return (text: string, previous: KeyValue[] = []): KeyValue[] => {
    const at = text.indexOf('=');
    const key = at === -1 ? '' : text.slice(0, at).trim();
    if (at === -1 || key === '') {
      throw new CliUsageError(`${flag}: '${text}' is not key=value (e.g. ${flag} ${example})`);
    }
    return [...previous, { key, value: text.slice(at + 1) }];
  };
}

/**
 * Parses `--since`/`--until`: ISO 8601 dates (`2024-05-01`) or date-times with an offset
 * (`2024-05-01T08:00:00Z`, `2024-05-01T10:00:00+02:00`). A date-time without an offset is refused
 * because it would silently mean the machine's local time zone; `Date.parse` alone accepts far
 * more (e.g. `May 1`), so the shape is checked first.
 */
export function dateParser(flag: string) {
  return (text: string): Date => {
    const trimmed = text.trim();
    const dateOnly = /^\d{4}-\d{2}-\d{2}$/;
    const dateTime = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i;
    const ms = Date.parse(dateOnly.test(trimmed) ? `${trimmed}T00:00:00Z` : trimmed);
    // Date.parse rolls impossible days over (2024-02-30 → March 1); refuse them instead.
    const sameDay = !Number.isNaN(ms) && isSameCalendarDay(trimmed, ms);
    if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/i.test(trimmed)) {
      throw new CliUsageError(
        `${flag}: '${text}' has no time zone; add Z for UTC or an offset such as +02:00`,
      );
    }
    if ((!dateOnly.test(trimmed) && !dateTime.test(trimmed)) || !sameDay) {
      throw new CliUsageError(
        `${flag}: '${text}' is not an ISO 8601 date (use 2024-05-01 or 2024-05-01T08:00:00Z)`,
      );
    }
    return new Date(ms);
  };
}

function isSameCalendarDay(text: string, ms: number): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number);
  // Compare against the written day in a zone-free way: build it in UTC, check nothing rolled over.
  const written = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return (
    written.getUTCFullYear() === year &&
    written.getUTCMonth() === (month ?? 0) - 1 &&
    written.getUTCDate() === day &&
    Number.isFinite(ms)
  );
}
