// Loads MITRE's STIX bundles for the tests (parsed once per worker) and reads their fields
// independently of the catalog's reader. Finding the files is shared with the generator, in
// ../attack/data-dir.ts.
import type { AttackDomain } from '../attack/types.js';
import { attackBundleFile, fullEnterpriseBundleFile, readBundleFile } from '../attack/data-dir.js';

const bundles = new Map<string, unknown>();

/** The slim bundle of a domain, parsed once per test worker. */
export function loadAttackBundle(domain: AttackDomain): StixTestBundle {
  const { path } = attackBundleFile(domain);
  if (!bundles.has(path)) bundles.set(path, readBundleFile(path));
  return bundles.get(path) as StixTestBundle;
}

/** The full published enterprise bundle (every object type), unpacked and parsed. */
export function loadFullEnterpriseBundle(): StixTestBundle {
  return readBundleFile(fullEnterpriseBundleFile().path) as StixTestBundle;
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
  readonly external_references?: readonly {
    source_name: string;
    external_id?: string;
    url?: string;
  }[];
  readonly kill_chain_phases?: readonly { kill_chain_name: string; phase_name: string }[];
  readonly relationship_type?: string;
  readonly source_ref?: string;
  readonly target_ref?: string;
  readonly spec_version?: string;
}

export interface StixTestBundle {
  readonly type: string;
  readonly id?: string;
  readonly objects: StixTestObject[];
}

/** The ATT&CK ID of a STIX object, read independently of the catalog's reader. */
export function externalId(object: StixTestObject): string | undefined {
  return object.external_references?.find(
    (reference) => reference.source_name.startsWith('mitre') && reference.external_id,
  )?.external_id;
}
