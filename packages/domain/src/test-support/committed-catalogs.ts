// The committed catalogs by domain, in the text form of ../attack/catalog-text.ts, for the tests
// (the package itself imports each domain's module where it needs it).
import enterprise from '../attack/data/enterprise.js';
import ics from '../attack/data/ics.js';
import mobile from '../attack/data/mobile.js';
import type { AttackDomain } from '../attack/types.js';

export const committedCatalogText: Readonly<Record<AttackDomain, string>> = Object.freeze({
  enterprise,
  mobile,
  ics,
});
