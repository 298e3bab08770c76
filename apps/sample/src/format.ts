import Table from 'cli-table3';

/**
 * Plain-text rendering helpers. Tables carry no colour codes so the output reads the same in a
 * terminal, a log file and a test assertion.
 */

/** A table cell: text, a number, or nothing (rendered as an empty cell). */
export type CellText = string | number | boolean | null | undefined;

/**
 * How wide the output may be: the terminal's width on a terminal, else `$COLUMNS` (set by shells
 * and by users who pipe), else 80.
 */
function outputWidth(): number {
  const { stdout } = process;
  if (stdout.isTTY && stdout.columns > 0) return stdout.columns;
  const fromEnv = Number.parseInt(process.env.COLUMNS ?? '', 10);
  return Number.isInteger(fromEnv) && fromEnv >= 20 ? fromEnv : 80;
}

/** The smallest a column is squeezed to (padding included), so a few characters always show. */
const MIN_COLUMN = 8;

/**
 * Column widths (padding included) that fit `width`: each column as wide as its widest line, and
 * when that is too wide, the widest columns are cut down to one common cap (their cells wrap).
 */
function fitColumns(natural: readonly number[], width: number): number[] {
  const borders = natural.length + 1;
  const total = (cap: number) => natural.reduce((sum, w) => sum + Math.min(w, cap), borders);
  const widest = Math.max(...natural);
  if (total(widest) <= width) return [...natural];
  let cap = MIN_COLUMN;
  while (cap < widest && total(cap + 1) <= width) cap++;
  return natural.map((w) => Math.min(w, cap));
}

const linesOf = (text: string): string[] => text.split('\n');
const widthOf = (text: string): number => Math.max(...linesOf(text).map((line) => line.length));

/**
 * Renders rows under a header as a bordered table that fits {@link outputWidth}: columns empty in
 * every row are left out, and long cells wrap (a word longer than its column is cut with `…`).
 */
export function table(head: string[], rows: CellText[][], width = outputWidth()): string {
  const cells = rows.map((row) => head.map((_, index) => text(row[index])));
  const kept = head
    .map((_, index) => index)
    .filter((index) => cells.length === 0 || cells.some((row) => row[index] !== ''));
  const keptHead = kept.map((index) => head[index] ?? '');
  const keptRows = cells.map((row) => kept.map((index) => row[index] ?? ''));
  const natural = kept.map(
    (_, column) =>
      Math.max(
        widthOf(keptHead[column] ?? ''),
        ...keptRows.map((row) => widthOf(row[column] ?? '')),
      ) + 2,
  );
  return render(keptRows, fitColumns(natural, width), keptHead);
}

/** Renders label/value pairs as a two-column table without a header, fitting the width too. */
export function keyValueTable(entries: [string, CellText][], width = outputWidth()): string {
  const rows = entries.map(([label, value]) => [label, text(value)]);
  const natural = [0, 1].map(
    (column) => Math.max(...rows.map((row) => widthOf(row[column] ?? ''))) + 2,
  );
  return render(rows, fitColumns(natural, width));
}

function render(rows: string[][], colWidths: number[], head?: string[]): string {
  const rendered = new Table({
    ...(head ? { head } : {}),
    style: { head: [], border: [], compact: false },
    wordWrap: true,
    colWidths,
  });
  for (const row of rows) rendered.push(row);
  return rendered.toString();
}

const text = (cell: CellText): string => (cell == null ? '' : String(cell));

/**
 * Prose (a note, a sentence of output) wrapped to `width` at spaces, a word longer than a line
 * broken; tables and JSON are never passed through here (their spacing is their meaning).
 */
export function paragraph(text: string, width = outputWidth()): string {
  return linesOf(text)
    .flatMap((line) => (line.length <= width ? [line] : wrapLine(line, width)))
    .join('\n');
}

function wrapLine(line: string, width: number): string[] {
  const indent = /^\s*/.exec(line)?.[0] ?? '';
  const room = Math.max(width - indent.length, 10);
  const lines: string[] = [];
  let current = '';
  for (let word of line.trim().split(/\s+/)) {
    while (word.length > room) {
      if (current) lines.push(current);
      current = '';
      lines.push(word.slice(0, room));
      word = word.slice(room);
    }
    if (current && current.length + 1 + word.length > room) {
      lines.push(current);
      current = word;
    } else {
      current = current ? `${current} ${word}` : word;
    }
  }
  if (current) lines.push(current);
  return lines.map((wrapped) => indent + wrapped);
}

/** A section heading: the title underlined, so sections stand out in a long run. */
export function heading(title: string, width = outputWidth()): string {
  return underlined(title, '=', width);
}

/** A smaller heading inside a section. */
export function subheading(title: string, width = outputWidth()): string {
  return underlined(title, '-', width);
}

/** `title`, wrapped to `width`, over a rule as long as its longest line. */
function underlined(title: string, rule: string, width: number): string {
  const wrapped = paragraph(title, width);
  return `${wrapped}\n${rule.repeat(widthOf(wrapped))}`;
}

/** Pretty-printed JSON, as shown to people (conditions, trigger data) and printed by `--json`. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}

/** Joins rendered blocks with one blank line between them, skipping empty ones. */
export function blocks(...parts: (string | undefined | false)[]): string {
  return parts
    .filter((part): part is string => typeof part === 'string' && part !== '')
    .join('\n\n');
}

/** Shortens long values (hashes, command lines) for table cells; the JSON output keeps them whole. */
export function truncate(text: string, max = 60): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
