// Reads `save-artifacts --file` in the forms SOC analysts keep indicators in: JSON, plain text
// (one indicator per line) and CSV with a header row of artifact field names.
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import { parse } from 'csv-parse/sync';
import { CliUsageError } from './errors.js';

/** One artifact as given: a field object, or a bare indicator value. */
export type ArtifactInput = Record<string, unknown> | string;

/** A file's artifacts, where each came from, and the lines that could not be read. */
export interface ArtifactFile {
  /** `json`, `text` or `csv`: by extension, else by content. */
  format: 'json' | 'text' | 'csv';
  artifacts: ArtifactInput[];
  /** Per artifact, in the user's words: `iocs.txt line 12`, `artifacts.json item 3`. */
  sources: string[];
  /** Lines that are no artifact at all (a CSV row with too many cells, ...). */
  unreadable: { source: string; reason: string }[];
}

const TEXT_EXTENSIONS = new Set(['.txt', '.text', '.ioc', '.iocs', '.lst', '.list']);

/** Reads and parses `path`; a file that cannot be read or parsed at all is a usage error. */
export async function readArtifactFile(path: string): Promise<ArtifactFile> {
  let text: string;
  try {
    // Without the byte-order mark some editors write first: no format reads it as content.
    text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliUsageError(`--file: cannot read '${path}'${code ? ` (${code})` : ''}`);
  }
  const name = basename(path);
  const format = formatOf(extname(path).toLowerCase(), text);
  const file =
    format === 'json'
      ? fromJson(text, path, name)
      : format === 'csv'
        ? fromCsv(text, path, name)
        : fromText(text, name);
  return { format, ...file };
}

/** The format by extension; else `[`/`{` is JSON, a header row of field names CSV, else text. */
export function formatOf(extension: string, text: string): ArtifactFile['format'] {
  if (extension === '.json') return 'json';
  if (extension === '.csv') return 'csv';
  if (TEXT_EXTENSIONS.has(extension)) return 'text';
  const body = text.trimStart();
  if (body.startsWith('[') || body.startsWith('{')) return 'json';
  const first = firstLine(body);
  const cells = first.split(',').map((cell) => cell.trim());
  // Field names are words (`FileName`, `External_IPAddress`); indicators have dots, slashes, @.
  return cells.length > 1 && cells.every((cell) => /^[A-Za-z][A-Za-z0-9_ ]*$/.test(cell))
    ? 'csv'
    : 'text';
}

const firstLine = (text: string): string =>
  text.split(/\r?\n/).find((line) => line.trim() !== '' && !line.trimStart().startsWith('#')) ?? '';

type Parsed = Omit<ArtifactFile, 'format'>;

function fromJson(text: string, path: string, name: string): Parsed {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliUsageError(`--file: '${path}' is not valid JSON (${(error as Error).message})`);
  }
  const items: unknown[] = Array.isArray(parsed) ? parsed : [parsed];
  const file: Parsed = { artifacts: [], sources: [], unreadable: [] };
  items.forEach((item, index) => {
    const source = `${name} item ${index + 1}`;
    const isObject = typeof item === 'object' && item !== null && !Array.isArray(item);
    if (isObject || typeof item === 'string') {
      file.artifacts.push(item as ArtifactInput);
      file.sources.push(source);
    } else {
      file.unreadable.push({
        source,
        reason: 'is neither an object of artifact fields nor an indicator string',
      });
    }
  });
  return file;
}

/** One indicator per line; blank lines and `#` comment lines are skipped. */
function fromText(text: string, name: string): Parsed {
  const file: Parsed = { artifacts: [], sources: [], unreadable: [] };
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    file.artifacts.push(line);
    file.sources.push(`${name} line ${index + 1}`);
  });
  return file;
}

/** A header row of field names, then one artifact per row; empty cells are left out. */
function fromCsv(text: string, path: string, name: string): Parsed {
  const file: Parsed = { artifacts: [], sources: [], unreadable: [] };
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    rows = parse(text, {
      columns: true,
      comment: '#',
      comment_no_infix: true,
      info: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      trim: true,
      on_skip: (error) => {
        if (error) {
          file.unreadable.push({
            source: `${name} line ${String(error.lines)}`,
            reason: error.message.replace(/ on line \d+$/, ''),
          });
        }
        return undefined;
      },
    });
  } catch (error) {
    throw new CliUsageError(`--file: '${path}' is not readable CSV (${(error as Error).message})`);
  }
  for (const { record, info } of rows) {
    const fields = Object.fromEntries(Object.entries(record).filter(([, value]) => value !== ''));
    const source = `${name} line ${info.lines}`;
    if (Object.keys(fields).length === 0) {
      file.unreadable.push({ source, reason: 'has no value in any column' });
    } else {
      file.artifacts.push(fields);
      file.sources.push(source);
    }
  }
  return file;
}
