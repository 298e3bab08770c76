// The drift check's own run (`pnpm --filter @d3soar/domain run attack:drift`): the one test that
// reads MITRE's bundles from outside the clone, kept out of `vitest run`'s default file set.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: fileURLToPath(new URL('../..', import.meta.url)),
    include: ['scripts/attack-update/drift.check.ts'],
  },
});
