// The committed catalogs by domain, in the text form of ../catalog-text.ts. Each domain is a
// module of its own so that a bundle can leave out the domains its code never asks for.
import type { AttackDomain } from '../types.js';
import enterprise from './enterprise.js';
import ics from './ics.js';
import mobile from './mobile.js';

export const committedCatalogText: Readonly<Record<AttackDomain, string>> = Object.freeze({
  enterprise,
  mobile,
  ics,
});
