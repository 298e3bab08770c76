// The committed form of a catalog (`src/attack/data/<domain>.ts`): JSON Lines inside a module.
//
// One JSON value per line keeps an ATT&CK update reviewable as a diff: a header with the domain,
// version and provenance, then each tactic in matrix order, then each technique by ID. The lookup
// index is not stored: it is derived from the records when a catalog is first asked for, so the
// committed file holds facts only and a bundler ships each domain's records once.
//
// A module rather than a `.jsonl` file, so that bundlers and Node resolve it like any other code
// and leave out the domains a consumer never imports.
import {
  buildTechniqueIndex,
  catalogDataFormat,
  type CatalogData,
  type TacticRecord,
  type TechniqueIndexData,
  type TechniqueRecord,
} from './catalog-data.js';
import type { AttackDomain } from './types.js';

/** Where a committed catalog came from: its first line, beside the format, domain and version. */
export interface CatalogProvenance {
  /** The input as given to `attack:update`: a file name or a URL. */
  readonly source: string;
  /** SHA-256 (hex) of the bundle's JSON text, after unpacking a gzipped input. */
  readonly sha256: string;
}

/** The first line of a committed catalog. */
export interface CatalogHeader extends CatalogProvenance {
  readonly format: typeof catalogDataFormat;
  readonly domain: AttackDomain;
  readonly version: string;
  /** The latest `modified` among the STIX objects the catalog was read from. */
  readonly modified: string | undefined;
  /** How many of the lines after the header are tactics; the rest are techniques. */
  readonly tactics: number;
  readonly techniques: number;
}

/** The catalog data in its committed text form: a header line, then one record per line. */
export function encodeCatalogText(data: CatalogData, provenance: CatalogProvenance): string {
  const header: CatalogHeader = {
    format: data.format,
    domain: data.domain,
    version: data.version,
    modified: data.modified,
    tactics: data.tactics.length,
    techniques: data.techniques.length,
    source: provenance.source,
    sha256: provenance.sha256,
  };
  return [header, ...data.tactics, ...data.techniques]
    .map((value) => JSON.stringify(value))
    .join('\n');
}

/** The header of a committed catalog's text, checked. */
export function decodeCatalogHeader(text: string, source: string): CatalogHeader {
  const end = text.indexOf('\n');
  const header: unknown = JSON.parse(end < 0 ? text : text.slice(0, end));
  const fields = header as Partial<CatalogHeader> | null;
  if (
    fields === null ||
    typeof fields !== 'object' ||
    fields.format !== catalogDataFormat ||
    typeof fields.domain !== 'string' ||
    typeof fields.version !== 'string' ||
    !Number.isInteger(fields.tactics) ||
    !Number.isInteger(fields.techniques)
  ) {
    throw new TypeError(
      `${source} does not start with an ATT&CK catalog header of format ${catalogDataFormat}; ` +
        'rewrite it with `pnpm attack:update`.',
    );
  }
  return header as CatalogHeader;
}

/** Reads a committed catalog's text back into catalog data, its lookup index built afresh. */
export function decodeCatalogText(text: string, source: string): CatalogData {
  const trimmed = text.trim();
  const header = decodeCatalogHeader(trimmed, source);
  const end = trimmed.indexOf('\n');
  // One JSON.parse of all records: far cheaper than a parse per line.
  const records: unknown = JSON.parse(
    end < 0 ? '[]' : `[${trimmed.slice(end + 1).replace(/\n/g, ',')}]`,
  );
  if (!Array.isArray(records) || records.length !== header.tactics + header.techniques) {
    throw new TypeError(
      `${source} holds ${Array.isArray(records) ? records.length : 'no'} records where its header ` +
        `counts ${header.tactics + header.techniques}; rewrite it with \`pnpm attack:update\`.`,
    );
  }
  const tactics = records.slice(0, header.tactics) as TacticRecord[];
  const techniques = records.slice(header.tactics) as TechniqueRecord[];
  let index: TechniqueIndexData | undefined;
  return {
    format: header.format,
    domain: header.domain,
    version: header.version,
    modified: header.modified,
    tactics,
    techniques,
    // Derived on first use: a catalog asked only for IDs never needs it (see catalog.ts).
    get index() {
      return (index ??= buildTechniqueIndex(techniques));
    },
  };
}
