import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const run = promisify(execFile);
const fromHere = (path) => new URL(path, import.meta.url);

describe('scripts/bundle.mjs', () => {
  it('writes dist/d3soar.openapi.json with exactly the content of the YAML document', async () => {
    await run(process.execPath, [fromHere('./bundle.mjs').pathname]);
    const json = JSON.parse(await readFile(fromHere('../dist/d3soar.openapi.json'), 'utf8'));
    const yaml = parse(await readFile(fromHere('../d3soar.openapi.yaml'), 'utf8'));
    expect(json).toEqual(yaml);
    expect(json.openapi).toMatch(/^3\.1\./);
  });
});
