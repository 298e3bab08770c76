// The catalogs shipped with the package, built from their committed text on first use. Apart from
// the entry point so that modules of this subpath (the Navigator layer's default) can use the
// enterprise catalog without importing the entry point, and so that a bundle calling only
// `getEnterpriseAttackCatalog` carries the enterprise data alone.
import { catalogFromData } from './catalog.js';
import { decodeCatalogText } from './catalog-text.js';
import enterpriseText from './data/enterprise.js';
import type { AttackCatalog, AttackDomain } from './types.js';

const catalogs = new Map<AttackDomain, AttackCatalog>();

/** A shipped catalog, built from its committed text on first use and shared afterwards. */
export function shippedCatalog(domain: AttackDomain, text: string): AttackCatalog {
  let catalog = catalogs.get(domain);
  if (catalog === undefined) {
    // The committed data is JSON text: importing only scans the string literal, and JSON.parse
    // beats evaluating an object literal, so a domain costs nothing until it is asked for.
    catalog = catalogFromData(decodeCatalogText(text, `The shipped ${domain} ATT&CK data`));
    catalogs.set(domain, catalog);
  }
  return catalog;
}

/**
 * The enterprise catalog shipped with this package: `getAttackCatalog('enterprise')`, for code
 * that needs no other domain. A bundle of code that calls only this carries the enterprise data
 * alone (about 11 kB gzipped), where `getAttackCatalog` brings all three domains.
 */
export function getEnterpriseAttackCatalog(): AttackCatalog {
  return shippedCatalog('enterprise', enterpriseText);
}
