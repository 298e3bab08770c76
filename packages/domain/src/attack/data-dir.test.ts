import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

import { attackBundleFile, attackDataDir, attackDirVariable } from './data-dir.js';

describe('the ATT&CK data directory', () => {
  const saved = process.env[attackDirVariable];
  afterEach(() => {
    if (saved === undefined) delete process.env[attackDirVariable];
    else process.env[attackDirVariable] = saved;
  });

  it('names the missing path and the environment variable', () => {
    const missing = join(tmpdir(), 'd3soar-no-such-attack-dir');
    process.env[attackDirVariable] = missing;
    expect(() => attackDataDir()).toThrow(missing);
    expect(() => attackDataDir()).toThrow(attackDirVariable);
  });

  it('names the missing bundle file, the directory and the environment variable', () => {
    const empty = mkdtempSync(join(tmpdir(), 'd3soar-attack-'));
    try {
      process.env[attackDirVariable] = empty;
      expect(() => attackBundleFile('mobile')).toThrow(
        new RegExp(`mobile-attack.*${empty}.*${attackDirVariable}`),
      );
    } finally {
      rmSync(empty, { recursive: true });
    }
  });
});
