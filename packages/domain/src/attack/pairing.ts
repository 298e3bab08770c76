import type { AttackCatalog, Tactic, Technique, TechniqueLookupOptions } from './types.js';

/** Tactics and techniques as a SetEventTechniques request names them. */
export interface TacticsAndTechniques {
  /** Tactic IDs, names or shortnames (or resolved tactics). Omitted or empty: no tactic filter. */
  readonly tactics?: readonly (string | Tactic)[];
  /** Technique IDs, names or `Parent: Sub` names (or resolved techniques). */
  readonly techniques?: readonly (string | Technique)[];
}

/** A tactic–technique pair as D3 stores it on an event. */
export interface TacticTechniquePair {
  readonly tactic: Tactic;
  readonly technique: Technique;
}

/** Result of {@link pairTechniquesWithTactics}. */
export interface TechniquePairing {
  /** Technique by technique in input order; within one, tactics in request (or matrix) order. */
  readonly pairs: TacticTechniquePair[];
  /** Requested techniques that belong to none of the requested tactics: D3 would drop them. */
  readonly unpaired: Technique[];
}

/**
 * Options of {@link pairTechniquesWithTactics}: how technique inputs are resolved, as in
 * `catalog.technique(input, options)`. `revoked: 'error'` refuses revoked IDs instead of
 * following them; `deprecated: 'error'` refuses deprecated techniques.
 */
export type PairingOptions = TechniqueLookupOptions;

/**
 * Options of {@link toD3Values}: the form of the strings, and how technique inputs are resolved
 * (`revoked`, `deprecated`, as in `catalog.technique(input, options)`).
 */
export interface D3ValueOptions extends TechniqueLookupOptions {
  /** `'name'` (default): tactic names and technique d3Names; `'id'`: ATT&CK IDs. */
  readonly as?: 'id' | 'name';
}

/** Strings ready for the `Tactics` and `Techniques` fields of a SetEventTechniques request. */
export interface D3Values {
  readonly tactics: string[];
  readonly techniques: string[];
}

/**
 * The pairs D3 SOAR stores for a SetEventTechniques request: each technique with each requested
 * tactic it belongs to in ATT&CK, or with all its tactics when no tactic is requested. Inputs are
 * resolved as `options` say (by default, revoked IDs are followed and deprecated techniques
 * allowed) and de-duplicated by ID.
 *
 * @throws {AttackLookupError} for the first input that does not resolve.
 */
export function pairTechniquesWithTactics(
  catalog: AttackCatalog,
  request: TacticsAndTechniques,
  options: PairingOptions = {},
): TechniquePairing {
  return pairsOf(
    resolveTactics(catalog, request.tactics),
    resolveTechniques(catalog, request.techniques, options),
  );
}

/**
 * Resolves tactics and techniques and returns them, de-duplicated in first-seen order, as the
 * strings to send: names (`Initial Access`, `Valid Accounts: Cloud Accounts`) or IDs. Techniques
 * are resolved as `options.revoked` and `options.deprecated` say (by default, revoked IDs are
 * followed and deprecated techniques allowed).
 *
 * @throws {AttackLookupError} for the first input that does not resolve.
 */
export function toD3Values(
  catalog: AttackCatalog,
  request: TacticsAndTechniques,
  options: D3ValueOptions = {},
): D3Values {
  // Checked at run time for JavaScript callers, so typed as what they could pass.
  const as: unknown = options.as ?? 'name';
  if (as !== 'id' && as !== 'name') {
    throw new TypeError(`options.as must be 'id' or 'name'; got ${JSON.stringify(as)}`);
  }
  return valuesOf(
    resolveTactics(catalog, request.tactics),
    resolveTechniques(catalog, request.techniques, options),
    as,
  );
}

/** Tactics and techniques resolved already, by one catalog's `tactic()` and `technique()`. */
export interface ResolvedTacticsAndTechniques {
  readonly tactics: readonly Tactic[];
  readonly techniques: readonly Technique[];
}

/**
 * {@link toD3Values} and {@link pairTechniquesWithTactics} at once, for tactics and techniques
 * resolved already (a caller that resolved each input to report every problem need not resolve it
 * twice more): the strings to send, and the pairs D3 stores. De-duplicated by ID, as those do.
 */
export function d3RequestOf(
  resolved: ResolvedTacticsAndTechniques,
  as: 'id' | 'name' = 'name',
): D3Values & TechniquePairing {
  const tactics = uniqueById(resolved.tactics);
  const techniques = uniqueById(resolved.techniques);
  const values = valuesOf(tactics, techniques, as);
  const { pairs, unpaired } = pairsOf(tactics, techniques);
  return { tactics: values.tactics, techniques: values.techniques, pairs, unpaired };
}

/** The strings to send for de-duplicated tactics and techniques. */
function valuesOf(
  tactics: readonly Tactic[],
  techniques: readonly Technique[],
  as: 'id' | 'name',
): D3Values {
  return {
    tactics: tactics.map((tactic) => (as === 'id' ? tactic.id : tactic.name)),
    techniques: techniques.map((technique) => (as === 'id' ? technique.id : technique.d3Name)),
  };
}

/**
 * The pairing rule: each technique with each requested tactic it belongs to, or with all its
 * tactics when none is requested.
 */
function pairsOf(tactics: readonly Tactic[], techniques: readonly Technique[]): TechniquePairing {
  const pairs: TacticTechniquePair[] = [];
  const unpaired: Technique[] = [];
  for (const technique of techniques) {
    // A technique has a handful of tactics: a scan costs less than a Set.
    const paired =
      tactics.length === 0
        ? technique.tactics
        : tactics.filter((tactic) => technique.tactics.some((own) => own.id === tactic.id));
    for (const tactic of paired) pairs.push({ tactic, technique });
    if (paired.length === 0) unpaired.push(technique);
  }
  return { pairs, unpaired };
}

function resolveTactics(
  catalog: AttackCatalog,
  inputs: readonly (string | Tactic)[] = [],
): Tactic[] {
  return uniqueById(
    inputs.map((input) => catalog.tactic(typeof input === 'string' ? input : input.id)),
  );
}

function resolveTechniques(
  catalog: AttackCatalog,
  inputs: readonly (string | Technique)[] = [],
  { revoked, deprecated }: TechniqueLookupOptions,
): Technique[] {
  // Without policies the catalog takes its fastest path, so pass none rather than an empty object.
  const lookup: TechniqueLookupOptions | undefined =
    revoked === undefined && deprecated === undefined
      ? undefined
      : {
          ...(revoked === undefined ? {} : { revoked }),
          ...(deprecated === undefined ? {} : { deprecated }),
        };
  return uniqueById(
    inputs.map((input) => catalog.technique(typeof input === 'string' ? input : input.id, lookup)),
  );
}

/** `items` without repeated IDs, in first-seen order. */
function uniqueById<T extends { readonly id: string }>(items: readonly T[]): T[] {
  // A request names a handful: scanning what is kept costs less than building a Map, which a
  // long list still gets.
  if (items.length > 16) {
    const byId = new Map<string, T>();
    for (const item of items) if (!byId.has(item.id)) byId.set(item.id, item);
    return [...byId.values()];
  }
  const kept: T[] = [];
  for (const item of items) if (!hasId(kept, item.id)) kept.push(item);
  return kept;
}

function hasId(items: readonly { readonly id: string }[], id: string): boolean {
  for (const item of items) if (item.id === id) return true;
  return false;
}
