/**
 * MITRE ATT&CK resolution for D3 SOAR: tactics and techniques by ID, name or D3's
 * "Parent: Sub-technique" name, revoked IDs followed to their replacements, fuzzy search, and the
 * tactic–technique pairs SetEventTechniques stores. Data: MITRE ATT&CK v18.1 (see NOTICE.md).
 *
 * The entry points live here rather than in modules of their own: every module costs Node's ESM
 * loader about a millisecond on a small machine, and the time from import to first lookup has a
 * 25 ms budget.
 *
 * @packageDocumentation
 */
import { catalogFromData } from './catalog.js';
import { attackDomains } from './catalog-data.js';
import enterpriseText from './data/enterprise.js';
import icsText from './data/ics.js';
import mobileText from './data/mobile.js';
import { readAttackBundle, type ReadAttackBundleOptions } from './stix.js';
import { shippedCatalog } from './shipped.js';
import type { AttackCatalog, AttackDomain } from './types.js';

export { attackDomains } from './catalog-data.js';
export { getEnterpriseAttackCatalog } from './shipped.js';
export { AttackLookupError } from './errors.js';
export type { AttackLookupErrorCode, AttackLookupKind } from './errors.js';
export {
  navigatorLayerSchema,
  navigatorLayerVersion,
  navigatorVersion,
  toNavigatorLayer,
} from './navigator.js';
export type {
  NavigatorLayer,
  NavigatorLayerOptions,
  NavigatorPair,
  NavigatorTechnique,
} from './navigator.js';
export { d3RequestOf, pairTechniquesWithTactics, toD3Values } from './pairing.js';
export type {
  D3ValueOptions,
  D3Values,
  PairingOptions,
  ResolvedTacticsAndTechniques,
  TacticsAndTechniques,
  TacticTechniquePair,
  TechniquePairing,
} from './pairing.js';
export type { ReadAttackBundleOptions } from './stix.js';
export type {
  AttackCandidate,
  AttackCatalog,
  AttackDomain,
  DeprecatedPolicy,
  RevokedPolicy,
  SearchOptions,
  SearchResult,
  Tactic,
  TacticTechniquesOptions,
  Technique,
  TechniqueListOptions,
  TechniqueLookupOptions,
  TechniqueRef,
} from './types.js';

/** A STIX bundle as MITRE publishes ATT&CK: `JSON.parse` of `enterprise-attack.json` and the like. */
export interface StixBundle {
  readonly type?: string;
  /** STIX objects; only tactics, techniques, matrices, collections and relationships are read. */
  readonly objects: readonly unknown[];
}

/** Options of {@link createAttackCatalog}. */
export type CreateAttackCatalogOptions = ReadAttackBundleOptions;

/**
 * Builds a catalog from a STIX bundle of MITRE ATT&CK, to pin the ATT&CK version a D3
 * installation uses instead of the bundled default. Accepts MITRE's published bundles unchanged,
 * STIX 2.0 (`mitre/cti`) or 2.1 (`mitre-attack/attack-stix-data`), and ignores object types it does
 * not need. The catalogs shipped with this package are built by the same reader.
 *
 * @throws {TypeError} when `bundle` is not a STIX bundle, or mixes domains without `options.domain`.
 */
export function createAttackCatalog(
  bundle: StixBundle,
  options: CreateAttackCatalogOptions = {},
): AttackCatalog {
  return catalogFromData(readAttackBundle(bundle, options));
}

const shippedText: Readonly<Record<AttackDomain, () => string>> = {
  enterprise: () => enterpriseText,
  mobile: () => mobileText,
  ics: () => icsText,
};

/**
 * The catalog shipped with this package (MITRE ATT&CK v18.1; each domain's version is its
 * `catalog.version`) for a domain, built on first use and shared afterwards. Use
 * {@link createAttackCatalog} for another ATT&CK version.
 *
 * @throws {TypeError} for a domain other than `enterprise`, `mobile` or `ics`.
 */
export function getAttackCatalog(domain: AttackDomain = 'enterprise'): AttackCatalog {
  const text = attackDomains.includes(domain) ? shippedText[domain] : undefined;
  if (text === undefined) {
    throw new TypeError(
      `getAttackCatalog(domain) expects one of ${attackDomains.join(', ')}; ` +
        `got ${JSON.stringify(domain)}`,
    );
  }
  return shippedCatalog(domain, text());
}
