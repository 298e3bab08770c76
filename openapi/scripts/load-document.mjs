// Shared by the generate and bundle scripts: both must see exactly the same parsed document.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

/** Absolute path of the hand-written contract. */
export const documentPath = fileURLToPath(new URL('../d3soar.openapi.yaml', import.meta.url));

/**
 * Reads and parses `d3soar.openapi.yaml` as plain JSON-compatible data.
 * `uniqueKeys` makes a duplicated key (easy to create by copy-paste in a long YAML file) a hard error
 * instead of a silent overwrite.
 */
export async function loadDocument() {
  const text = await readFile(documentPath, 'utf8');
  const document = parse(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  if (document === null || typeof document !== 'object' || Array.isArray(document)) {
    throw new Error(`${documentPath} must contain a YAML mapping (the OpenAPI document)`);
  }
  if (typeof document.openapi !== 'string' || !document.openapi.startsWith('3.1.')) {
    throw new Error(
      `${documentPath} must be an OpenAPI 3.1 document, got openapi: ${document.openapi}`,
    );
  }
  return document;
}
