// Locates MITRE's STIX bundles on disk, for the build-time generator, the benchmark and the
// tests, so all of them honour D3SOAR_ATTACK_DIR the same way. It is build tooling, not part of
// the `./attack` export: nothing the package exports imports it, and the build leaves it out.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import type { AttackDomain } from './types.js';

/** The environment variable naming the directory that holds the ATT&CK bundles. */
export const attackDirVariable = 'D3SOAR_ATTACK_DIR';

/** This file sits at `<repo>/packages/domain/src/attack/`. */
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
