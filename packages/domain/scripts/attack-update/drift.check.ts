// The drift check: the committed catalog must be exactly what `attack:update` makes of MITRE's
// bundles of the committed version, provenance aside. A hand edit of src/attack/data/, or a change
// to the reader that was not followed by `attack:update`, fails here.
//
// MITRE's bundles are not in the repository; mitre-bundles.ts says where they are looked for (this
// project's CI has them). Without them the check is skipped with one line saying so, unless
// D3SOAR_ATTACK_DRIFT_CHECK=required (as in CI). It is a task of its own (`attack:drift`), not part
// of the package's tests: the build and the tests never read anything outside the clone.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

import { readBundleInput, type ReadBundle } from './bundle.js';
import { createProgress } from './progress.js';
import { fullEnterpriseBundlePath, mitreBundleDir } from './mitre-bundles.js';
import { readLocal } from './sources.js';
import { attackDomains, type CatalogData } from '../../src/attack/catalog-data.js';
import { decodeCatalogHeader, encodeCatalogText } from '../../src/attack/catalog-text.js';
import { committedCatalogText } from '../../src/test-support/committed-catalogs.js';
import { readAttackBundle } from '../../src/attack/stix.js';

const dir = mitreBundleDir();
const required = process.env.D3SOAR_ATTACK_DRIFT_CHECK === 'required';
const available = existsSync(dir);

if (!available) {
  const reason = `no MITRE ATT&CK bundles at ${dir} (set D3SOAR_ATTACK_DIR to a directory of them)`;
  if (required) throw new Error(`The ATT&CK drift check is required, but there are ${reason}`);
  console.warn(`ATT&CK drift check skipped: ${reason}`);
}

/** The lines of a catalog's text, the header without its provenance fields. */
function comparable(text: string): string[] {
  const [header, ...records] = text.trim().split('\n');
  const { source: _source, sha256: _sha256, ...facts } = decodeCatalogHeader(header ?? '', 'text');
  return [JSON.stringify(facts), ...records];
}

const noProgress = createProgress({ write: () => true });

describe.runIf(available)(`the committed ATT&CK catalog against MITRE's bundles in ${dir}`, () => {
  // Vitest collects a skipped suite too, so nothing is read until a test runs.
  let read: ReadBundle[] | undefined;
  const readAll = () =>
    (read ??= readLocal(dir, noProgress).map((input) => readBundleInput(input)));

  it.each(attackDomains)('%s is what attack:update makes of them', (domain) => {
    const bundle = readAll().find(({ data }) => data.domain === domain);
    expect(bundle, `no ${domain} bundle in ${dir}`).toBeDefined();
    if (bundle === undefined) return;
    expect(comparable(encodeCatalogText(bundle.data, bundle.provenance))).toEqual(
      comparable(committedCatalogText[domain]),
    );
  });

  const full = available ? fullEnterpriseBundlePath(dir) : undefined;
  it.runIf(full !== undefined)(
    "reads MITRE's whole published enterprise bundle, STIX 2.0 and 2.1, to the same catalog",
    () => {
      const expected = readAll().find(({ data }) => data.domain === 'enterprise')?.data;
      const bundle = JSON.parse(gunzipSync(readFileSync(full ?? '')).toString('utf8')) as {
        x_attack_version?: string;
        objects: Record<string, unknown>[];
      };
      const facts = (data: CatalogData | undefined) => ({ ...data, index: undefined });
      expect(facts(readAttackBundle(bundle))).toEqual(facts(expected));
      // The STIX 2.1 form of attack-stix-data: each object marked 2.1, the version stated only by
      // the collection object that opens the bundle.
      const { x_attack_version: version, ...plain } = bundle;
      const stix21 = {
        ...plain,
        objects: [
          { type: 'x-mitre-collection', id: 'x-mitre-collection--1', x_mitre_version: version },
          ...bundle.objects.map((object) => ({ ...object, spec_version: '2.1' })),
        ],
      };
      expect(facts(readAttackBundle(stix21))).toEqual(facts(expected));
      // Unpacking and parsing MITRE's 37 MB bundle takes seconds on a small, busy machine.
    },
    120_000,
  );
});
