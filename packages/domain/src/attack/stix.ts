// The STIX reader: MITRE's bundle to catalog data, in one module on purpose (it is long): its
// steps (domain detection, tactic order, technique records, links) run over one pass of objects
// and share the maps built from it.
import {
  attackDomains,
  attackUrl,
  buildTechniqueIndex,
  catalogDataFormat,
  TechniqueFlag,
  type CatalogData,
  type TacticRecord,
  type TechniqueRecord,
} from './catalog-data.js';
import type { AttackDomain } from './types.js';

/** Options of {@link readAttackBundle} (and of `createAttackCatalog`). */
export interface ReadAttackBundleOptions {
  /**
   * The domain to read. Needed only for bundles that mix domains; otherwise it is taken from the
   * bundle's matrix (`enterprise-attack`, `mobile-attack`, `ics-attack`).
   */
  readonly domain?: AttackDomain;
  /**
   * The ATT&CK version to report as `catalog.version`. Default: the bundle's `x_attack_version`,
   * else its `x-mitre-collection` object's `x_mitre_version`, else `unknown`.
   */
  readonly version?: string;
}

/** The fields of MITRE's STIX objects that the catalog reads; everything else is ignored. */
interface StixObject {
  readonly type?: unknown;
  readonly id?: unknown;
  readonly name?: unknown;
  readonly modified?: unknown;
  readonly revoked?: unknown;
  readonly x_mitre_deprecated?: unknown;
  readonly x_mitre_domains?: unknown;
  readonly x_mitre_shortname?: unknown;
  readonly x_mitre_is_subtechnique?: unknown;
  readonly x_mitre_version?: unknown;
  readonly external_references?: unknown;
  readonly kill_chain_phases?: unknown;
  readonly tactic_refs?: unknown;
  readonly relationship_type?: unknown;
  readonly source_ref?: unknown;
  readonly target_ref?: unknown;
}

/** The relationships the catalog needs; `uses`, `mitigates`, `detects`… are ignored. */
const linkTypes = new Set(['subtechnique-of', 'revoked-by']);

/** Old Mobile and ICS objects carry their ATT&CK ID under these source names instead. */
const attackSourceNames = ['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack'];

interface ParsedTactic {
  readonly stixId: string;
  readonly id: string;
  readonly name: string;
  readonly shortname: string;
  readonly url: string;
}

interface ParsedTechnique {
  readonly object: StixObject;
  readonly stixId: string;
  readonly id: string;
  readonly name: string;
  readonly url: string;
  readonly revoked: boolean;
}

/**
 * Reads a STIX bundle of MITRE ATT&CK (STIX 2.0 as in `mitre/cti`, or 2.1 as in
 * `mitre-attack/attack-stix-data`; the full published bundle or a slimmed one) into the compact
 * catalog form. Uses tactics, techniques, the matrix's tactic order and the `subtechnique-of` and
 * `revoked-by` relationships; every other object is ignored.
 *
 * @throws {TypeError} when `bundle` is not a STIX bundle or its domain cannot be told.
 */
export function readAttackBundle(
  bundle: unknown,
  options: ReadAttackBundleOptions = {},
): CatalogData {
  const objects = bundleObjects(bundle);
  const domain = options.domain ?? detectDomain(objects);
  if (!attackDomains.includes(domain)) {
    throw new TypeError(
      `options.domain must be one of ${attackDomains.join(', ')}; got ${JSON.stringify(domain)}`,
    );
  }
  const inDomain = (object: StixObject): boolean =>
    !Array.isArray(object.x_mitre_domains) || object.x_mitre_domains.includes(`${domain}-attack`);

  const tacticObjects: StixObject[] = [];
  const matrices: StixObject[] = [];
  const techniqueObjects: StixObject[] = [];
  const relationships: StixObject[] = [];
  let collectionVersion: string | undefined;
  let modified: string | undefined;
  for (const object of objects) {
    if (!inDomain(object)) continue;
    if (object.type === 'x-mitre-collection') {
      if (typeof object.x_mitre_version === 'string') collectionVersion = object.x_mitre_version;
      continue;
    }
    const list =
      object.type === 'x-mitre-tactic'
        ? tacticObjects
        : object.type === 'x-mitre-matrix'
          ? matrices
          : object.type === 'attack-pattern'
            ? techniqueObjects
            : object.type === 'relationship' &&
                linkTypes.has(String(object.relationship_type)) &&
                !isWithdrawn(object)
              ? relationships
              : undefined;
    if (list === undefined) continue;
    list.push(object);
    // The catalog is as recent as the newest object it was read from.
    const stamp = typeof object.modified === 'string' ? object.modified : undefined;
    if (stamp !== undefined && (modified === undefined || stamp > modified)) modified = stamp;
  }

  const tactics = orderTactics(readTactics(tacticObjects), matrices);
  const tacticIndexByShortname = new Map(tactics.map((tactic, index) => [tactic.shortname, index]));

  const techniques = readTechniques(techniqueObjects);
  const indexByStixId = new Map<string, number>();
  const indexByAttackId = new Map<string, number>();
  techniques.forEach((technique, index) => {
    indexByStixId.set(technique.stixId, index);
    indexByAttackId.set(technique.id, index);
  });
  const parentOf = new Map<number, number>();
  const revokedBy = new Map<number, number>();
  for (const relationship of relationships) {
    const source = indexByStixId.get(String(relationship.source_ref));
    const target = indexByStixId.get(String(relationship.target_ref));
    if (source === undefined || target === undefined) continue;
    if (relationship.relationship_type === 'subtechnique-of') parentOf.set(source, target);
    if (relationship.relationship_type === 'revoked-by') revokedBy.set(source, target);
  }

  const techniqueRecords = techniques.map((technique, index): TechniqueRecord => {
    const { object } = technique;
    const isSubtechnique =
      typeof object.x_mitre_is_subtechnique === 'boolean'
        ? object.x_mitre_is_subtechnique
        : technique.id.includes('.');
    // Revoked sub-techniques may have lost their subtechnique-of relationship; the ID still
    // names the parent.
    const parent =
      parentOf.get(index) ??
      (isSubtechnique ? indexByAttackId.get(technique.id.split('.')[0] ?? '') : undefined) ??
      -1;
    const flags =
      (isSubtechnique ? TechniqueFlag.subtechnique : 0) |
      (object.x_mitre_deprecated === true ? TechniqueFlag.deprecated : 0) |
      (technique.revoked ? TechniqueFlag.revoked : 0);
    const replacement = technique.revoked ? (revokedBy.get(index) ?? -1) : -1;
    const tacticIndexes = techniqueTactics(object, tacticIndexByShortname);
    const { id, name, url } = technique;
    return url === attackUrl(id)
      ? [id, name, tacticIndexes, parent, flags, replacement]
      : [id, name, tacticIndexes, parent, flags, replacement, url];
  });

  return {
    format: catalogDataFormat,
    domain,
    version: options.version ?? bundleVersion(bundle) ?? collectionVersion ?? 'unknown',
    modified,
    tactics: tactics.map(({ id, name, shortname, url }): TacticRecord =>
      url === attackUrl(id) ? [id, name, shortname] : [id, name, shortname, url],
    ),
    techniques: techniqueRecords,
    index: buildTechniqueIndex(techniqueRecords),
  };
}

function bundleObjects(bundle: unknown): StixObject[] {
  const objects =
    typeof bundle === 'object' && bundle !== null
      ? (bundle as { objects?: unknown }).objects
      : undefined;
  if (!Array.isArray(objects)) {
    throw new TypeError(
      'Expected a STIX bundle: an object whose `objects` field is an array of STIX objects ' +
        `(MITRE's ATT&CK JSON); got ${bundle === null ? 'null' : typeof bundle}` +
        (typeof bundle === 'object' && bundle !== null ? ' without an `objects` array' : ''),
    );
  }
  return objects.filter(
    (object): object is StixObject => typeof object === 'object' && object !== null,
  );
}

function bundleVersion(bundle: unknown): string | undefined {
  const version = (bundle as { x_attack_version?: unknown }).x_attack_version;
  return typeof version === 'string' ? version : undefined;
}

function detectDomain(objects: readonly StixObject[]): AttackDomain {
  const fromMatrices = domainsNamedBy(
    objects.filter((object) => object.type === 'x-mitre-matrix').map(attackIdOf),
  );
  const candidates =
    fromMatrices.size > 0
      ? fromMatrices
      : domainsNamedBy(
          objects
            .filter((object) => object.type === 'x-mitre-tactic')
            .flatMap((object): readonly unknown[] =>
              Array.isArray(object.x_mitre_domains) ? object.x_mitre_domains : [],
            ),
        );
  const [only, ...others] = candidates;
  if (only === undefined || others.length > 0) {
    throw new TypeError(
      only === undefined
        ? 'Cannot tell the ATT&CK domain of this bundle (no matrix or tactic names one); ' +
            "pass options.domain ('enterprise', 'mobile' or 'ics')"
        : `This bundle holds several ATT&CK domains (${[...candidates].join(', ')}); ` +
            'pass options.domain to choose one',
    );
  }
  return only;
}

function domainsNamedBy(names: readonly unknown[]): Set<AttackDomain> {
  const domains = new Set<AttackDomain>();
  for (const name of names) {
    const domain = attackDomains.find((candidate) => name === `${candidate}-attack`);
    if (domain !== undefined) domains.add(domain);
  }
  return domains;
}

function isWithdrawn(object: StixObject): boolean {
  return object.revoked === true || object.x_mitre_deprecated === true;
}

function attackReferenceOf(object: StixObject): { id: string; url?: string } | undefined {
  if (!Array.isArray(object.external_references)) return undefined;
  for (const sourceName of attackSourceNames) {
    for (const reference of object.external_references as unknown[]) {
      if (typeof reference !== 'object' || reference === null) continue;
      const { source_name, external_id, url } = reference as Record<string, unknown>;
      if (source_name === sourceName && typeof external_id === 'string' && external_id !== '') {
        return typeof url === 'string' ? { id: external_id, url } : { id: external_id };
      }
    }
  }
  return undefined;
}

function attackIdOf(object: StixObject): string | undefined {
  return attackReferenceOf(object)?.id;
}

function readTactics(objects: readonly StixObject[]): ParsedTactic[] {
  const tactics: ParsedTactic[] = [];
  for (const object of objects) {
    const reference = attackReferenceOf(object);
    if (
      object.revoked === true ||
      reference === undefined ||
      typeof object.id !== 'string' ||
      typeof object.name !== 'string' ||
      typeof object.x_mitre_shortname !== 'string'
    ) {
      continue;
    }
    tactics.push({
      stixId: object.id,
      id: reference.id,
      name: object.name,
      shortname: object.x_mitre_shortname,
      url: reference.url ?? attackUrl(reference.id),
    });
  }
  return tactics;
}

/** Matrix order first (current matrices before deprecated ones), then any others by ID. */
function orderTactics(tactics: readonly ParsedTactic[], matrices: StixObject[]): ParsedTactic[] {
  const byStixId = new Map(tactics.map((tactic) => [tactic.stixId, tactic]));
  const ordered = new Set<ParsedTactic>();
  const currentFirst = [...matrices].sort(
    (left, right) => Number(isWithdrawn(left)) - Number(isWithdrawn(right)),
  );
  for (const matrix of currentFirst) {
    if (!Array.isArray(matrix.tactic_refs)) continue;
    for (const ref of matrix.tactic_refs as unknown[]) {
      const tactic = byStixId.get(String(ref));
      if (tactic !== undefined) ordered.add(tactic);
    }
  }
  const rest = tactics.filter((tactic) => !ordered.has(tactic)).sort(compareById);
  return [...ordered, ...rest];
}

function readTechniques(objects: readonly StixObject[]): ParsedTechnique[] {
  const byAttackId = new Map<string, ParsedTechnique>();
  for (const object of objects) {
    const reference = attackReferenceOf(object);
    if (reference === undefined || typeof object.id !== 'string' || typeof object.name !== 'string')
      continue;
    const technique: ParsedTechnique = {
      object,
      stixId: object.id,
      id: reference.id,
      name: object.name,
      url: reference.url ?? attackUrl(reference.id),
      revoked: object.revoked === true,
    };
    const existing = byAttackId.get(technique.id);
    if (existing === undefined || supersedes(technique, existing)) {
      byAttackId.set(technique.id, technique);
    }
  }
  return [...byAttackId.values()].sort(compareById);
}

/** Two objects with one ATT&CK ID: the live one wins, then the most recently modified. */
function supersedes(candidate: ParsedTechnique, existing: ParsedTechnique): boolean {
  if (candidate.revoked !== existing.revoked) return existing.revoked;
  return modifiedStamp(candidate.object) > modifiedStamp(existing.object);
}

/** An object's `modified` timestamp (ISO 8601, so it sorts as text), or '' when it has none. */
function modifiedStamp(object: StixObject): string {
  return typeof object.modified === 'string' ? object.modified : '';
}

function techniqueTactics(
  object: StixObject,
  tacticIndexByShortname: ReadonlyMap<string, number>,
): number[] {
  if (!Array.isArray(object.kill_chain_phases)) return [];
  const indexes = new Set<number>();
  for (const phase of object.kill_chain_phases as unknown[]) {
    if (typeof phase !== 'object' || phase === null) continue;
    const { kill_chain_name, phase_name } = phase as Record<string, unknown>;
    if (!attackSourceNames.includes(String(kill_chain_name))) continue;
    const index = tacticIndexByShortname.get(String(phase_name));
    if (index !== undefined) indexes.add(index);
  }
  return [...indexes].sort((left, right) => left - right);
}

function compareById(left: { id: string }, right: { id: string }): number {
  return left.id < right.id ? -1 : left.id > right.id ? 1 : 0;
}
