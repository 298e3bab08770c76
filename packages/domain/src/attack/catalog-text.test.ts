import { describe, expect, it } from 'vitest';

import { committedCatalogData, stixBundleFromCatalog } from '../test-support/attack-data.js';
import { attackDomains } from './catalog-data.js';
import { decodeCatalogHeader, decodeCatalogText, encodeCatalogText } from './catalog-text.js';
import { committedCatalogText } from '../test-support/committed-catalogs.js';
import { readAttackBundle } from './stix.js';

const provenance = { source: 'enterprise-attack-18.1.json', sha256: 'ab'.repeat(32) };

describe('the committed text form of a catalog', () => {
  it.each(attackDomains)('%s: one header line, then one tactic or technique per line', (domain) => {
    const lines = committedCatalogText[domain].trim().split('\n');
    const header = decodeCatalogHeader(lines[0] ?? '', domain);
    expect(header.domain).toBe(domain);
    expect(header.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(header.modified).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(lines).toHaveLength(1 + header.tactics + header.techniques);
    // Stable order: techniques by ID, so an update reads as a diff.
    const ids = lines.slice(1 + header.tactics).map((line) => (JSON.parse(line) as string[])[0]);
    expect(ids).toEqual([...ids].sort());
  });

  it.each(attackDomains)('%s reads back to what the STIX reader makes of it', (domain) => {
    const data = committedCatalogData(domain);
    expect(readAttackBundle(stixBundleFromCatalog(data))).toEqual(data);
    expect(decodeCatalogText(encodeCatalogText(data, provenance), 'round trip')).toEqual(data);
  });

  it('refuses text whose header is missing or whose records do not match its counts', () => {
    const text = encodeCatalogText(committedCatalogData('ics'), provenance);
    expect(() => decodeCatalogText(`{"format":99}\n${text}`, 'old.ts')).toThrow(
      /old\.ts does not start with an ATT&CK catalog header of format 1; rewrite it with `pnpm attack:update`/,
    );
    const oneLineLess = text.split('\n').slice(0, -1).join('\n');
    expect(() => decodeCatalogText(oneLineLess, 'cut.ts')).toThrow(
      /cut\.ts holds \d+ records where its header counts \d+/,
    );
  });
});
