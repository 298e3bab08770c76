import { readFileSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every module specifier in the static import graph of a source module, following relative
 * imports (`./x.js` is the source `./x.ts`): what a bundler has to resolve for `./attack`.
 */
function importGraph(entry: URL): { modules: string[]; specifiers: string[] } {
  const modules = new Set<string>();
  const specifiers = new Set<string>();
  const visit = (file: URL) => {
    if (modules.has(file.href)) return;
    modules.add(file.href);
    const source = readFileSync(file, 'utf8');
    for (const { fileName } of ts.preProcessFile(source, true, true).importedFiles) {
      specifiers.add(fileName);
      if (fileName.startsWith('.')) visit(new URL(fileName.replace(/\.js$/, '.ts'), file));
    }
  };
  visit(entry);
  return { modules: [...modules], specifiers: [...specifiers] };
}

describe('the ./attack entry point', () => {
  const { modules, specifiers } = importGraph(new URL('./index.ts', import.meta.url));

  it('imports no Node.js built-in, so bundlers and browsers can load it', () => {
    expect(modules.length).toBeGreaterThan(3);
    expect(specifiers.filter((specifier) => isBuiltin(specifier))).toEqual([]);
    for (const module of modules) {
      expect(readFileSync(new URL(module), 'utf8')).not.toMatch(/\bcreateRequire\b|\brequire\(/);
    }
  });

  it('imports only declared dependencies and its own modules', () => {
    const manifest = JSON.parse(
      readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    const dependencies = Object.keys(manifest.dependencies ?? {});
    const external = specifiers.filter((specifier) => !specifier.startsWith('.'));
    expect(external).toContain('minisearch');
    expect(external.filter((specifier) => !dependencies.includes(specifier))).toEqual([]);
  });
});
