// Where MITRE's own bundles sit beside a clone, for the drift check (drift.check.ts), the one
// reader besides `attack:update --from`. Neither the build, the demo, the tests nor the benchmark
// read them; the repository carries the compact catalog only.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));

/** `$D3SOAR_ATTACK_DIR`, else `../shared/attack` beside the clone; it may not exist. */
export function mitreBundleDir(): string {
  const fromEnv = process.env.D3SOAR_ATTACK_DIR;
  return fromEnv !== undefined && fromEnv !== ''
    ? fromEnv
    : join(repoRoot, '..', 'shared', 'attack');
}

/** MITRE's whole published enterprise bundle (`full/enterprise-attack[-<version>].json.gz`), if present. */
export function fullEnterpriseBundlePath(dir = mitreBundleDir()): string | undefined {
  const full = join(dir, 'full');
  const name = existsSync(full)
    ? readdirSync(full).find((candidate) => /^enterprise-attack.*\.json\.gz$/.test(candidate))
    : undefined;
  return name === undefined ? undefined : join(full, name);
}
