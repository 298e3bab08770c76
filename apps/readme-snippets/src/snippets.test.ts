import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { extractSnippets, snippetsOf } from './snippets.js';

const appDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const repoRoot = join(appDir, '..', '..');

describe('extractSnippets', () => {
  it('takes only TypeScript fences and reports the line each one starts on', () => {
    const markdown = ['# Title', '```sh', 'pnpm test', '```', '```ts', 'const a = 1;', '```'].join(
      '\n',
    );
    expect(extractSnippets(markdown, 'X.md')).toEqual([
      { readme: 'X.md', line: 6, code: 'const a = 1;' },
    ]);
  });

  it('refuses a block that is never closed', () => {
    expect(() => extractSnippets('```ts\nconst a = 1;', 'X.md')).toThrow(/never closed/);
  });
});

describe('the README snippets', () => {
  const snippets = snippetsOf(repoRoot);
  // Snippets are written beside this package so that they resolve @d3soar/* exactly as a user's
  // project would: through the packages' exports maps and built type declarations.
  const workDir = mkdtempSync(join(appDir, '.snippets-'));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));

  it('exist in the root README and in every package README', () => {
    const readmes = new Set(snippets.map((s) => s.readme));
    for (const readme of [
      'README.md',
      'packages/client/README.md',
      'packages/domain/README.md',
      'packages/mock-server/README.md',
    ]) {
      expect(readmes).toContain(readme);
    }
  });

  it('compile under the project strict settings', () => {
    const files = snippets.map((snippet, index) => {
      const file = join(workDir, `snippet-${index}.ts`);
      writeFileSync(file, snippet.code);
      return { file, snippet };
    });
    const config = ts.getParsedCommandLineOfConfigFile(
      join(repoRoot, 'tsconfig.base.json'),
      {},
      { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
    );
    if (!config) throw new Error('tsconfig.base.json could not be read');
    // A reader compiles against the published packages (dist/ through their exports maps), not
    // against the workspace sources that the base config's `paths` points the type checker to.
    const { paths: _workspaceSources, ...options } = config.options;
    const program = ts.createProgram(
      files.map((f) => f.file),
      {
        ...options,
        // An example ends once it has shown how to get a value (`const result = await ...`); what
        // the reader does with it is theirs, so an unused binding in a snippet is not a mistake.
        noUnusedLocals: false,
        noUnusedParameters: false,
        noEmit: true,
        declaration: false,
        declarationMap: false,
      },
    );
    const problems = ts.getPreEmitDiagnostics(program).map((diagnostic) => {
      const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
      const origin = files.find((f) => f.file === diagnostic.file?.fileName);
      if (!origin || diagnostic.start === undefined) return message;
      const { line } = diagnostic.file!.getLineAndCharacterOfPosition(diagnostic.start);
      return `${origin.snippet.readme}:${origin.snippet.line + line}: ${message}`;
    });
    expect(problems).toEqual([]);
  }, 60_000);
});
