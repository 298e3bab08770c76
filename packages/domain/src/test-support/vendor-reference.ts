// Reads the vendor's sample bodies from the reference pages (`<repo>/../shared/reference/*.txt`),
// so the artifact and query tests check against the vendor's own text rather than a copy of it.
// Not part of the built package.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** This file sits at `<repo>/packages/domain/src/test-support/`. */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** The text of one reference page, e.g. `save-artifact-for-incident.txt`. */
export function readReferencePage(name: string): string {
  return readFileSync(join(repoRoot, '..', 'shared', 'reference', name), 'utf8');
}

/**
 * The sample bodies of a page, in order: the text after each `CODE` line up to the brace that
 * closes the first one. Returned raw, because some vendor samples are not valid JSON.
 */
export function sampleBodies(page: string): string[] {
  const bodies: string[] = [];
  const marker = /^CODE\s*$/gm;
  for (let match = marker.exec(page); match !== null; match = marker.exec(page)) {
    const start = page.indexOf('{', match.index);
    if (start < 0) break;
    let depth = 0;
    let inString = false;
    for (let i = start; i < page.length; i += 1) {
      const char = page[i];
      if (inString) {
        if (char === '\\') i += 1;
        else if (char === '"') inString = false;
      } else if (char === '"') inString = true;
      else if (char === '{') depth += 1;
      else if (char === '}' && --depth === 0) {
        bodies.push(page.slice(start, i + 1));
        break;
      }
    }
  }
  return bodies;
}
