import { describe, expect, it } from 'vitest';

import {
  loadAttackBundle,
  loadFullEnterpriseBundle,
  type StixTestBundle,
} from '../test-support/attack-data.js';
import { attackDomains } from './catalog-data.js';
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

/**
 * The STIX 2.1 form MITRE publishes in mitre-attack/attack-stix-data, made from a STIX 2.0 bundle
 * of `mitre/cti`: every object carries `"spec_version": "2.1"`; the bundle is plain STIX 2.1
 * (`type`, `id`, `objects`: no bundle-level `spec_version` and no version of its own); the ATT&CK
 * version is the `x_mitre_version` of the `x-mitre-collection` object that opens the bundle and
 * lists its contents.
 */
function asStix21(bundle: StixTestBundle, name: string): StixTestBundle {
  const { x_attack_version: version } = bundle as { x_attack_version?: string };
  if (version === undefined) throw new Error('the source bundle states no ATT&CK version');
  const objects = bundle.objects.filter((object) => object.type !== 'x-mitre-collection');
  const collection = {
    type: 'x-mitre-collection',
    spec_version: '2.1',
    id: 'x-mitre-collection--1f5f1533-f617-4ca8-9ab4-6a02367fa019',
    name,
    x_mitre_version: version,
    x_mitre_attack_spec_version: '3.2.0',
    created: '2018-01-17T12:56:55.080Z',
    modified: '2025-11-12T00:00:00.000Z',
    created_by_ref: 'identity--c78cb6e5-0c4b-4611-8297-d1b8b55e40b5',
    object_marking_refs: ['marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168'],
    x_mitre_contents: objects.map((object) => ({
      object_ref: object.id,
      object_modified: object.modified,
    })),
  };
  return {
    type: 'bundle',
    id: bundle.id ?? 'bundle--0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
    objects: [collection, ...objects.map((object) => ({ ...object, spec_version: '2.1' }))],
  };
}

describe('createAttackCatalog', () => {
  const slim = loadAttackBundle('enterprise');
  const expected = answers(getAttackCatalog('enterprise'), slim);

  it('answers like the default catalog from the whole published bundle and its STIX 2.1 form', () => {
    const full = loadFullEnterpriseBundle();
    expect(full.objects.length).toBeGreaterThan(slim.objects.length);
    expect(answers(createAttackCatalog(full), slim)).toEqual(expected);
    const stix21 = asStix21(full, 'Enterprise ATT&CK');
    // The 2.1 bundle names its version only through the collection object.
    expect(Object.keys(stix21).sort()).toEqual(['id', 'objects', 'type']);
    expect(stix21.objects.every((object) => object.spec_version === '2.1')).toBe(true);
    expect(answers(createAttackCatalog(stix21), slim)).toEqual(expected);
    // Unpacking and parsing MITRE's 37 MB bundle takes seconds on a small, busy machine.
  }, 60_000);

  it('reads the ATT&CK version of a STIX 2.1 bundle from its collection object', () => {
    for (const domain of attackDomains) {
      const bundle = loadAttackBundle(domain);
      const stix21 = asStix21(bundle, `${domain} ATT&CK`);
      const catalog = createAttackCatalog(stix21);
      expect(catalog.version).toBe((bundle as { x_attack_version?: string }).x_attack_version);
      expect(answers(catalog, bundle)).toEqual(answers(getAttackCatalog(domain), bundle));
      expect(createAttackCatalog(stix21, { version: '19.0' }).version).toBe('19.0');
    }
  });

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
