import { describe, expect, it } from 'vitest';

import { loadAttackBundle } from '../test-support/attack-data.js';
import { attackBundleFile } from './data-dir.js';
import { attackDomains } from './catalog-data.js';
import { getAttackCatalog } from './index.js';
import type { AttackDomain } from './types.js';

describe('getAttackCatalog', () => {
  it('serves the enterprise catalog by default, built once and shared', () => {
    const catalog = getAttackCatalog();
    expect(catalog.domain).toBe('enterprise');
    expect(getAttackCatalog('enterprise')).toBe(catalog);
  });

  it.each(attackDomains)(
    'serves %s with the version of the bundle it was generated from',
    (domain) => {
      const bundle = loadAttackBundle(domain) as { x_attack_version?: string };
      const catalog = getAttackCatalog(domain);
      expect(catalog.domain).toBe(domain);
      expect(catalog.version).toBe(
        bundle.x_attack_version ?? attackBundleFile(domain).versionFromName,
      );
    },
  );

  it('rejects an unknown domain, naming the accepted ones', () => {
    expect(() => getAttackCatalog('pre' as AttackDomain)).toThrow(/enterprise, mobile, ics/);
  });
});
