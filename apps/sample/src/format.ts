import Table from 'cli-table3';

/**
 * Plain-text rendering helpers. Tables carry no colour codes so the output reads the same in a
 * terminal, a log file and a test assertion.
 */

/** A table cell: text, a number, or nothing (rendered as an empty cell). */
export type CellText = string | number | boolean | null | undefined;

/**
 * Renders rows under a header as a bordered table. `widths` caps columns (padding included;
 * `null` lets a column size itself); capped cells wrap instead of stretching the table.
 */
export function table(head: string[], rows: CellText[][], widths?: (number | null)[]): string {
  const rendered = new Table({
    head,
    style: { head: [], border: [], compact: false },
    wordWrap: true,
    ...(widths ? { colWidths: widths } : {}),
  });
  for (const row of rows) rendered.push(row.map((cell) => (cell == null ? '' : String(cell))));
  return rendered.toString();
}

/** Renders label/value pairs as a two-column table without a header. */
export function keyValueTable(entries: [string, CellText][]): string {
  const rendered = new Table({ style: { head: [], border: [] }, wordWrap: true });
  for (const [label, value] of entries) rendered.push([label, value == null ? '' : String(value)]);
  return rendered.toString();
}

/** A section heading: the title underlined, so sections stand out in a long run. */
export function heading(title: string): string {
  return `${title}\n${'='.repeat(title.length)}`;
}

/** A smaller heading inside a section. */
export function subheading(title: string): string {
  return `${title}\n${'-'.repeat(title.length)}`;
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
