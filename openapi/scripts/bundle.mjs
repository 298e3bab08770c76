// Writes dist/d3soar.openapi.json: the same document as d3soar.openapi.yaml, for tools that read JSON only.
import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { loadDocument } from './load-document.mjs';

const outputPath = fileURLToPath(new URL('../dist/d3soar.openapi.json', import.meta.url));

const document = await loadDocument();
await mkdir(new URL('../dist/', import.meta.url), { recursive: true });
await writeFile(outputPath, `${JSON.stringify(document, null, 2)}\n`);
console.log(`bundle: wrote ${outputPath}`);
