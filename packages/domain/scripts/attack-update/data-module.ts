// The committed data module of one domain (`src/attack/data/<domain>.ts`): MITRE's notice, then
// the catalog's text form as a raw template literal. Written only here, by `attack:update`.
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { AttackDomain } from '../../src/attack/types.js';

/** Where the committed catalogs live. */
export const committedDataDir = fileURLToPath(new URL('../../src/attack/data/', import.meta.url));

export function dataModulePath(domain: AttackDomain, dir = committedDataDir): string {
  return join(dir, `${domain}.ts`);
}

const opening = 'export default String.raw`\n';
const closing = '\n`;\n';

/** The module text for a catalog's text form. */
export function renderDataModule(catalogText: string): string {
  // A raw template literal keeps JSON's backslash escapes as they are; only these two sequences
  // would end it or start a substitution.
  if (catalogText.includes('`') || catalogText.includes('${')) {
    throw new Error('the catalog text holds "`" or "${", which a template literal cannot carry');
  }
  return [
    // A `/*!` comment at the top of the file is one that tsc keeps (even with removeComments), so
    // the shipped copy of MITRE's data keeps its copyright line.
    '/*!',
    ...mitreNotice.map((line) => ` * ${line}`.trimEnd()),
    ' */',
    '',
    '// Written by `pnpm attack:update`; do not edit by hand. The first line below names the ATT&CK',
    '// version and where the data came from; the test suite checks the rest against MITRE.',
    opening + catalogText + closing,
  ].join('\n');
}

/** The catalog text of a committed data module, or `undefined` when there is none. */
export function readDataModule(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  const source = readFileSync(path, 'utf8');
  const start = source.indexOf(opening);
  const end = source.lastIndexOf(closing);
  if (start < 0 || end < start) throw new Error(`${path} is not a catalog data module`);
  return source.slice(start + opening.length, end);
}

/**
 * Replaces a file without ever leaving it half-written: the new text goes to a temporary file
 * beside it, renamed over the old one.
 */
export function writeFileAtomically(path: string, text: string): void {
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, text);
    renameSync(temporary, path);
  } finally {
    rmSync(temporary, { force: true });
  }
}

/**
 * MITRE's copyright designation and license, which MITRE's license asks every copy of ATT&CK to
 * carry (NOTICE.md holds them too, with the disclaimers).
 */
const mitreNotice = [
  'MITRE ATT&CK® data: tactics, techniques, sub-techniques and their links.',
  '',
  '© 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of',
  'The MITRE Corporation.',
  '',
  'License: The MITRE Corporation (MITRE) hereby grants you a non-exclusive, royalty-free license',
  'to use ATT&CK® for research, development, and commercial purposes. Any copy you make for such',
  "purposes is authorized provided that you reproduce MITRE's copyright designation and this",
  'license in any such copy. Disclaimers: see NOTICE.md in this package.',
];
