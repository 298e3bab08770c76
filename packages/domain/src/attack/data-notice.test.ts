import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

import { attackDomains } from './catalog-data.js';

const packageDir = new URL('../../', import.meta.url);
const read = (path: string) => readFileSync(new URL(path, packageDir), 'utf8');

/** The compiler options the published build uses (`tsconfig.build.json`). */
function buildOptions(): ts.CompilerOptions {
  const path = fileURLToPath(new URL('tsconfig.build.json', packageDir));
  const config: unknown = ts.readConfigFile(path, (file) => ts.sys.readFile(file)).config;
  return ts.parseJsonConfigFileContent(config, ts.sys, dirname(path)).options;
}

/** Text with comment decoration and line breaks removed, so wrapped sentences compare whole. */
const flat = (text: string) =>
  text
    .replace(/^\s*(?:\/\*!?|\*\/|\*|\/\/|#+)[ \t]?/gm, '')
    .replace(/\s+/g, ' ')
    .trim();

/** A paragraph of NOTICE.md, found by how it starts. */
function noticeParagraph(start: string): string {
  const paragraph = read('NOTICE.md')
    .split(/\n\s*\n/)
    .find((candidate) => candidate.startsWith(start));
  if (paragraph === undefined) throw new Error(`NOTICE.md has no paragraph starting ${start}`);
  return flat(paragraph);
}

describe.each(attackDomains)('the committed %s ATT&CK data module', (domain) => {
  // The build compiles src/attack/data/<domain>.ts into the shipped copy of MITRE's data.
  const committed = read(`src/attack/data/${domain}.ts`);

  it("keeps MITRE's copyright designation and license through compilation", () => {
    const copyright = noticeParagraph('© ');
    const license = noticeParagraph('The MITRE Corporation (MITRE) hereby grants');
    expect(copyright).toContain('The MITRE Corporation');
    for (const removeComments of [false, true]) {
      const { outputText } = ts.transpileModule(committed, {
        compilerOptions: { ...buildOptions(), removeComments },
        fileName: `${domain}.ts`,
      });
      expect(outputText).toContain(`"domain":"${domain}"`);
      expect(flat(outputText)).toContain(copyright);
      expect(flat(outputText)).toContain(license);
    }
  });
});
