// Locates MITRE's STIX bundles on disk. The generator and the tests share this module so both
// honour D3SOAR_ATTACK_DIR the same way; it is not part of the built package.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import type { AttackDomain } from '../attack/types.js';

/** The environment variable naming the directory that holds the ATT&CK bundles. */
export const attackDirVariable = 'D3SOAR_ATTACK_DIR';

/** This file sits at `<repo>/packages/domain/src/test-support/`. */
const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** `$D3SOAR_ATTACK_DIR`, else `<repo root>/../shared/attack`; it must exist. */
export function attackDataDir(): string {
  const fromEnv = process.env[attackDirVariable];
  const dir =
    fromEnv !== undefined && fromEnv !== '' ? fromEnv : join(repoRoot, '..', 'shared', 'attack');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(
      `ATT&CK data directory not found: ${dir} ` +
        (fromEnv
          ? `(from ${attackDirVariable})`
          : `(the default; set ${attackDirVariable} to the directory holding MITRE's enterprise-attack, mobile-attack and ics-attack STIX JSON)`),
    );
  }
  return dir;
}

/** A bundle file and the ATT&CK version its name carries (`enterprise-attack-18.1.json`). */
export interface BundleFile {
  readonly path: string;
  readonly versionFromName?: string;
}

/** Finds `<domain>-attack.json` or `<domain>-attack-<version>.json` (exactly one) in the data directory. */
export function attackBundleFile(domain: AttackDomain, dir = attackDataDir()): BundleFile {
  return findOne(
    dir,
    new RegExp(`^${domain}-attack(?:-(\\d+(?:\\.\\d+)*))?\\.json$`),
    `${domain}-attack[-<version>].json`,
  );
}

/** Finds the full (unslimmed) enterprise bundle, `full/enterprise-attack[-<version>].json.gz`. */
export function fullEnterpriseBundleFile(dir = attackDataDir()): BundleFile {
  return findOne(
    join(dir, 'full'),
    /^enterprise-attack(?:-(\d+(?:\.\d+)*))?\.json\.gz$/,
    'enterprise-attack[-<version>].json.gz',
  );
}

/** Reads and parses a bundle file; `.gz` files are unpacked first. */
export function readBundleFile(path: string): unknown {
  const bytes = readFileSync(path);
  return JSON.parse((path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8'));
}

function findOne(dir: string, pattern: RegExp, expected: string): BundleFile {
  const names = existsSync(dir) ? readdirSync(dir).filter((name) => pattern.test(name)) : [];
  const [name, ...others] = names;
  if (name === undefined || others.length > 0) {
    throw new Error(
      (name === undefined
        ? `No ATT&CK bundle ${expected} in ${dir}`
        : `Several ATT&CK bundles match ${expected} in ${dir} (${names.join(', ')}); keep one`) +
        `. The directory comes from ${attackDirVariable} (default <repo root>/../shared/attack).`,
    );
  }
  const versionFromName = pattern.exec(name)?.[1];
  return versionFromName === undefined
    ? { path: join(dir, name) }
    : { path: join(dir, name), versionFromName };
}

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
  readonly objects: StixTestObject[];
}

/** The ATT&CK ID of a STIX object, read independently of the catalog's reader. */
export function externalId(object: StixTestObject): string | undefined {
  return object.external_references?.find(
    (reference) => reference.source_name.startsWith('mitre') && reference.external_id,
  )?.external_id;
}
