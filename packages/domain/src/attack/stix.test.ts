import { describe, expect, it } from 'vitest';

import {
  loadAttackBundle,
  loadFullEnterpriseBundle,
  type StixTestBundle,
} from '../test-support/attack-data.js';
import { AttackLookupError } from './errors.js';
import { createAttackCatalog, getAttackCatalog } from './index.js';
import type { AttackCatalog } from './types.js';

/** Every answer a catalog gives for the IDs and names in a bundle, errors included. */
function answers(catalog: AttackCatalog, bundle: StixTestBundle) {
  const inputs = bundle.objects.flatMap((object) =>
    object.type === 'attack-pattern' || object.type === 'x-mitre-tactic'
      ? [
          object.name ?? '',
          ...(object.external_references ?? []).flatMap((ref) => ref.external_id ?? []),
        ]
      : [],
  );
  const answer = (run: () => unknown) => {
    try {
      return run();
    } catch (error) {
      if (!(error instanceof AttackLookupError)) throw error;
      return { code: error.code, candidates: error.candidates };
    }
  };
  return {
    domain: catalog.domain,
    version: catalog.version,
    tactics: catalog.tactics,
    techniques: catalog.techniques,
    lookups: inputs.map((input) => [
      answer(() => catalog.technique(input)),
      answer(() => catalog.tactic(input)),
    ]),
    search: catalog.search('valid acounts cloud'),
  };
}

/** The STIX 2.1 form MITRE publishes in attack-stix-data: `spec_version` on every object. */
function asStix21(bundle: StixTestBundle): StixTestBundle {
  const { spec_version: _bundleVersion, ...rest } = bundle as StixTestBundle & {
    spec_version?: string;
  };
  return { ...rest, objects: bundle.objects.map((object) => ({ ...object, spec_version: '2.1' })) };
}

describe('createAttackCatalog', () => {
  const slim = loadAttackBundle('enterprise');
  const expected = answers(getAttackCatalog('enterprise'), slim);

  it('answers like the default catalog from the whole published bundle and its STIX 2.1 form', () => {
    const full = loadFullEnterpriseBundle();
    expect(full.objects.length).toBeGreaterThan(slim.objects.length);
    expect(answers(createAttackCatalog(full), slim)).toEqual(expected);
    expect(answers(createAttackCatalog(asStix21(full)), slim)).toEqual(expected);
    // Unpacking and parsing MITRE's 37 MB bundle twice takes seconds on a small, busy machine.
  }, 60_000);

  it('answers like the default catalogs for every slim domain bundle', () => {
    for (const domain of ['mobile', 'ics'] as const) {
      const bundle = loadAttackBundle(domain);
      expect(answers(createAttackCatalog(bundle), bundle)).toEqual(
        answers(getAttackCatalog(domain), bundle),
      );
    }
  });

  it('needs options.domain for a bundle that mixes domains, then keeps to that domain', () => {
    const ics = loadAttackBundle('ics');
    const mixed = { ...ics, objects: [...slim.objects, ...ics.objects] };
    expect(() => createAttackCatalog(mixed)).toThrow(/options\.domain/);
    expect(answers(createAttackCatalog(mixed, { domain: 'ics' }), ics)).toEqual(
      answers(getAttackCatalog('ics'), ics),
    );
  });

  it('reports the version the bundle states, or the one given', () => {
    const { x_attack_version: _version, ...unversioned } = slim as StixTestBundle & {
      x_attack_version?: string;
    };
    expect(createAttackCatalog(unversioned).version).toBe('unknown');
    expect(createAttackCatalog(unversioned, { version: '19.0' }).version).toBe('19.0');
    const collection = {
      type: 'x-mitre-collection',
      id: 'x-mitre-collection--1',
      x_mitre_version: '17.1',
    };
    expect(
      createAttackCatalog({ ...unversioned, objects: [...slim.objects, collection] }).version,
    ).toBe('17.1');
  });

  it('rejects input that is not a STIX bundle, naming what is missing', () => {
    expect(() => createAttackCatalog(null as unknown as StixTestBundle)).toThrow(/`objects`/);
    expect(() => createAttackCatalog({ objects: 'x' } as unknown as StixTestBundle)).toThrow(
      /`objects`/,
    );
    expect(() => createAttackCatalog({ objects: [] })).toThrow(/options\.domain/);
  });
});
