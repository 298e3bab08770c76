// Other teams generate clients from the contract and validate it with common tools. Each tool is
// run here as those teams would run it, and must take the document without a warning; generated
// code must compile under `tsc --strict`. A document change that trips one of them fails here
// rather than in another team's build.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import SwaggerParser from '@apidevtools/swagger-parser';
import { createClient } from '@hey-api/openapi-ts';
import { validate as readmeValidate } from '@readme/openapi-parser';
import { generate as orvalGenerate } from 'orval';
import ts from 'typescript';
import { afterAll, describe, expect, it, vi } from 'vitest';

// Generators keep their own reference to `console.log` from the moment they are loaded (orval:
// `const log = console.log`), so the console is wrapped before any import runs.
const printed = vi.hoisted(() => {
  const state: { collect: ((text: string) => void) | undefined } = { collect: undefined };
  for (const method of ['log', 'info', 'warn', 'error'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (state.collect === undefined) original(...args);
      else state.collect(args.map(String).join(' '));
    };
  }
  return state;
});

const spec = fileURLToPath(import.meta.resolve('@d3soar/openapi/d3soar.openapi.yaml'));
const work = mkdtempSync(join(tmpdir(), 'd3soar-generators-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Every `.ts` file under a directory. */
function typescriptFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return typescriptFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** What `tsc --strict --noEmit` says about the files, one line per diagnostic. */
function strictDiagnostics(files: readonly string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
    types: [],
    skipLibCheck: true,
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file?.fileName.replace(work, '<out>') ?? '';
    return `${where}: TS${diagnostic.code} ${ts.flattenDiagnosticMessageText(diagnostic.messageText, ' ')}`;
  });
}

/** Runs a generator, collecting what it prints that reads as a warning or an error. */
async function warningsOf(run: () => Promise<unknown>): Promise<string[]> {
  const said: string[] = [];
  printed.collect = (text) => {
    if (/warn|⚠|error|invalid|failed|must not/i.test(text)) said.push(text.trim());
  };
  // Some generators also write straight to the streams.
  const write = (chunk: unknown) => {
    printed.collect?.(String(chunk));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, 'write').mockImplementation(write),
    vi.spyOn(process.stderr, 'write').mockImplementation(write),
  ];
  try {
    await run();
  } finally {
    printed.collect = undefined;
    for (const spy of spies) spy.mockRestore();
  }
  return said;
}

describe('clients generated from the contract', () => {
  it('@hey-api/openapi-ts: generates without a warning, and the client compiles under tsc --strict', async () => {
    const output = join(work, 'hey-api');
    const warnings = await warningsOf(() =>
      createClient({ input: spec, output, logs: { level: 'warn' } }),
    );
    expect(warnings).toEqual([]);
    expect(strictDiagnostics(typescriptFiles(output))).toEqual([]);
  }, 120_000);

  it('orval (fetch client): generates without a warning, and the client compiles under tsc --strict', async () => {
    const target = join(work, 'orval', 'd3soar.ts');
    const warnings = await warningsOf(() =>
      orvalGenerate({
        input: { target: spec },
        output: { target, client: 'fetch', mode: 'single' },
      }),
    );
    expect(warnings).toEqual([]);
    expect(strictDiagnostics([target])).toEqual([]);
  }, 120_000);
});

describe('validators other teams use', () => {
  it('@apidevtools/swagger-parser validates the document', async () => {
    await expect(SwaggerParser.validate(spec)).resolves.toMatchObject({ openapi: '3.1.0' });
  }, 60_000);

  it('@readme/openapi-parser validates the document without warnings', async () => {
    const result = await readmeValidate(spec);
    expect(result.valid, JSON.stringify(result)).toBe(true);
    expect(result.warnings).toEqual([]);
  }, 60_000);
});
