// STIX bundles for the tests, shaped as MITRE publishes ATT&CK and rebuilt from the committed
// catalog, so the tests need nothing outside the repository. The drift check
// (scripts/attack-update/drift.check.ts) is what ties the committed catalog to MITRE's own bundles.
import { createHash } from 'node:crypto';

import { attackUrl, TechniqueFlag, type CatalogData } from '../attack/catalog-data.js';
import { decodeCatalogText } from '../attack/catalog-text.js';
import { committedCatalogText } from './committed-catalogs.js';
import type { AttackDomain } from '../attack/types.js';

const bundles = new Map<string, StixTestBundle>();

/** The committed catalog data of a domain, decoded afresh. */
export function committedCatalogData(domain: AttackDomain): CatalogData {
  return decodeCatalogText(committedCatalogText[domain], `the committed ${domain} catalog`);
}

/**
 * A STIX 2.0 bundle of a domain in the shape of MITRE's slim bundles (tactics, techniques, the
 * matrix, `subtechnique-of` and `revoked-by` relationships), built once per test worker.
 */
export function loadAttackBundle(domain: AttackDomain): StixTestBundle {
  let bundle = bundles.get(domain);
  if (bundle === undefined) {
    bundle = stixBundleFromCatalog(committedCatalogData(domain));
    bundles.set(domain, bundle);
  }
  return bundle;
}

/**
 * The enterprise bundle with the object types and relationships of MITRE's full published
 * bundle that the catalog must ignore (groups, software, mitigations, `uses` links, withdrawn
 * links, objects of another domain, identities and markings).
 */
export function loadFullEnterpriseBundle(): StixTestBundle {
  const slim = loadAttackBundle('enterprise');
  const technique = slim.objects.find((object) => object.type === 'attack-pattern');
  const other = slim.objects.filter((object) => object.type === 'attack-pattern')[1];
  if (technique === undefined || other === undefined) throw new Error('no techniques to link');
  const noise: StixTestObject[] = [
    { type: 'identity', id: stixId('identity', 'mitre'), name: 'The MITRE Corporation' },
    { type: 'marking-definition', id: stixId('marking-definition', 'copyright') },
    {
      type: 'intrusion-set',
      id: stixId('intrusion-set', 'G0007'),
      name: technique.name ?? '',
      external_references: [{ source_name: 'mitre-attack', external_id: 'G0007' }],
    },
    {
      type: 'malware',
      id: stixId('malware', 'S0001'),
      name: 'Some Malware',
      external_references: [{ source_name: 'mitre-attack', external_id: 'S0001' }],
    },
    {
      type: 'course-of-action',
      id: stixId('course-of-action', 'M1036'),
      name: 'Account Use Policies',
      external_references: [{ source_name: 'mitre-attack', external_id: 'M1036' }],
    },
    {
      type: 'relationship',
      id: stixId('relationship', 'uses'),
      relationship_type: 'uses',
      source_ref: stixId('intrusion-set', 'G0007'),
      target_ref: technique.id,
    },
    {
      // A withdrawn link is not followed.
      type: 'relationship',
      id: stixId('relationship', 'withdrawn'),
      relationship_type: 'revoked-by',
      revoked: true,
      source_ref: technique.id,
      target_ref: other.id,
    },
  ];
  return { ...slim, objects: [...slim.objects, ...noise] };
}

/**
 * MITRE's STIX form of catalog data: what `readAttackBundle` reads back into the same data. Every
 * object carries the catalog's `modified`; STIX IDs are derived from the ATT&CK IDs.
 */
export function stixBundleFromCatalog(data: CatalogData): StixTestBundle {
  const modified = data.modified ?? '2025-01-01T00:00:00.000Z';
  const domains = [`${data.domain}-attack`];
  const reference = (id: string, url: string | undefined) => [
    { source_name: 'mitre-attack', external_id: id, url: url ?? attackUrl(id) },
  ];
  const tactics = data.tactics.map(([id, name, shortname, url]): StixTestObject => ({
    type: 'x-mitre-tactic',
    id: stixId('x-mitre-tactic', id),
    name,
    modified,
    x_mitre_shortname: shortname,
    x_mitre_domains: domains,
    external_references: reference(id, url),
  }));
  const matrix: StixTestObject = {
    type: 'x-mitre-matrix',
    id: stixId('x-mitre-matrix', data.domain),
    name: `${data.domain} ATT&CK`,
    modified,
    x_mitre_domains: domains,
    external_references: [{ source_name: 'mitre-attack', external_id: `${data.domain}-attack` }],
    tactic_refs: tactics.map((tactic) => tactic.id),
  };
  const techniqueIds = data.techniques.map(([id]) => stixId('attack-pattern', id));
  const techniques = data.techniques.map(
    ([id, name, tacticIndexes, , flags, , url], index): StixTestObject => ({
      type: 'attack-pattern',
      id: techniqueIds[index] as string,
      name,
      modified,
      x_mitre_domains: domains,
      x_mitre_is_subtechnique: (flags & TechniqueFlag.subtechnique) !== 0,
      ...((flags & TechniqueFlag.revoked) !== 0 ? { revoked: true } : {}),
      ...((flags & TechniqueFlag.deprecated) !== 0 ? { x_mitre_deprecated: true } : {}),
      external_references: reference(id, url),
      kill_chain_phases: tacticIndexes.map((tactic) => ({
        kill_chain_name: 'mitre-attack',
        phase_name: data.tactics[tactic]?.[2] ?? '',
      })),
    }),
  );
  const techniqueId = (index: number): string => {
    const id = techniqueIds[index];
    if (id === undefined) throw new Error(`test data: no technique at index ${index}`);
    return id;
  };
  const link = (type: string, source: number, target: number): StixTestObject => ({
    type: 'relationship',
    id: stixId('relationship', `${type} ${source} ${target}`),
    modified,
    relationship_type: type,
    source_ref: techniqueId(source),
    target_ref: techniqueId(target),
  });
  const links = data.techniques.flatMap(([, , , parent, , revokedBy], index) => [
    ...(parent >= 0 ? [link('subtechnique-of', index, parent)] : []),
    ...(revokedBy >= 0 ? [link('revoked-by', index, revokedBy)] : []),
  ]);
  return {
    type: 'bundle',
    id: stixId('bundle', data.domain),
    spec_version: '2.0',
    x_attack_version: data.version,
    objects: [matrix, ...tactics, ...techniques, ...links],
  };
}

/** A STIX ID of the given type, stable for the same name. */
function stixId(type: string, name: string): string {
  const hex = createHash('sha256').update(`${type} ${name}`).digest('hex');
  return `${type}--${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The fields tests read from MITRE's STIX objects. */
export interface StixTestObject {
  readonly type: string;
  readonly id: string;
  readonly name?: string;
  readonly modified?: string;
  readonly revoked?: boolean;
  readonly x_mitre_deprecated?: boolean;
  readonly x_mitre_is_subtechnique?: boolean;
  readonly x_mitre_shortname?: string;
  readonly x_mitre_domains?: readonly string[];
  readonly external_references?: readonly {
    source_name: string;
    external_id?: string;
    url?: string;
  }[];
  readonly kill_chain_phases?: readonly { kill_chain_name: string; phase_name: string }[];
  readonly tactic_refs?: readonly string[];
  readonly relationship_type?: string;
  readonly source_ref?: string;
  readonly target_ref?: string;
  readonly spec_version?: string;
}

export interface StixTestBundle {
  readonly type: string;
  readonly id?: string;
  readonly spec_version?: string;
  readonly x_attack_version?: string;
  readonly objects: StixTestObject[];
}

/** The ATT&CK ID of a STIX object, read independently of the catalog's reader. */
export function externalId(object: StixTestObject): string | undefined {
  return object.external_references?.find(
    (reference) => reference.source_name.startsWith('mitre') && reference.external_id,
  )?.external_id;
}
