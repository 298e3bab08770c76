import { describe, expect, it } from 'vitest';

import { readFileSync } from 'node:fs';

import { attackDomains } from './catalog-data.js';
import { getAttackCatalog, getEnterpriseAttackCatalog } from './index.js';
import type { AttackDomain } from './types.js';

describe('getAttackCatalog', () => {
  it('serves the enterprise catalog by default, built once and shared', () => {
    const catalog = getAttackCatalog();
    expect(catalog.domain).toBe('enterprise');
    expect(getAttackCatalog('enterprise')).toBe(catalog);
  });

  it.each(attackDomains)('serves %s with the version its committed data file records', (domain) => {
    // Read from the file's text, not through the decoder the catalog uses.
    const file = readFileSync(new URL(`./data/${domain}.ts`, import.meta.url), 'utf8');
    const recorded = /^\{"format":\d+,"domain":"(\w+)","version":"([^"]+)"/m.exec(file);
    const catalog = getAttackCatalog(domain);
    expect(catalog.domain).toBe(recorded?.[1]);
    expect(catalog.version).toBe(recorded?.[2]);
  });

  it('rejects an unknown domain, naming the accepted ones', () => {
    expect(() => getAttackCatalog('pre' as AttackDomain)).toThrow(/enterprise, mobile, ics/);
  });
});

describe('getEnterpriseAttackCatalog', () => {
  it('is the shared enterprise catalog that getAttackCatalog serves', () => {
    expect(getEnterpriseAttackCatalog()).toBe(getAttackCatalog('enterprise'));
    expect(getEnterpriseAttackCatalog().technique('T1078.004').d3Name).toBe(
      'Valid Accounts: Cloud Accounts',
    );
  });
});
