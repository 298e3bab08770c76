// The catalog data format: the compact records a STIX bundle is read into, and the index of
// every spelling that resolves to them (built here from the records, once per catalog). The
// shipped catalogs are these records, committed in the text form of ./catalog-text.ts.
import type { AttackDomain } from './types.js';

/** Every {@link AttackDomain}, in MITRE's usual order. */
export const attackDomains: readonly AttackDomain[] = Object.freeze([
  'enterprise',
  'mobile',
  'ics',
]);

/**
 * The compact, JSON-serialisable form of a catalog: what the STIX reader produces, what
 * `attack:update` commits under `src/attack/data/` (less the index) and what the catalog indexes.
 * Tuples rather than objects keep the shipped data small; references between records are array
 * indexes.
 */
export interface CatalogData {
  /** Layout version of this form; bump it when the tuple layouts change. */
  readonly format: typeof catalogDataFormat;
  readonly domain: AttackDomain;
  readonly version: string;
  /** The latest `modified` among the STIX objects read (MITRE's bundles carry no date of their own). */
  readonly modified: string | undefined;
  /** In matrix order. */
  readonly tactics: readonly TacticRecord[];
  /** Every technique, revoked ones included, ordered by ID. */
  readonly techniques: readonly TechniqueRecord[];
  /** Every spelling of every technique, resolved (see `buildTechniqueIndex`). */
  readonly index: TechniqueIndexData;
}

export const catalogDataFormat = 1;

/** `url` is present only when it differs from {@link attackUrl}'s. */
export type TacticRecord = readonly [id: string, name: string, shortname: string, url?: string];

/** `url` is present only when it differs from {@link attackUrl}'s. */
export type TechniqueRecord = readonly [
  id: string,
  name: string,
  /** Indexes into `CatalogData.tactics`, ascending (matrix order). */
  tactics: readonly number[],
  /** Index of the parent technique, or -1. */
  parent: number,
  /** A combination of {@link TechniqueFlag} values. */
  flags: number,
  /** Index of the technique that replaced this revoked one, or -1. */
  revokedBy: number,
  url?: string,
];

/** Bits of `TechniqueRecord` flags. */
export const TechniqueFlag = Object.freeze({
  subtechnique: 1,
  deprecated: 2,
  revoked: 4,
});

/** The attack.mitre.org page of an ATT&CK ID, the way MITRE's data spells it. */
export function attackUrl(id: string): string {
  if (id.startsWith('TA')) return `https://attack.mitre.org/tactics/${id}`;
  return `https://attack.mitre.org/techniques/${id.replace('.', '/')}`;
}

/**
 * Every spelling a technique answers to, mapped to one entry, as parallel arrays (`keys[i]` →
 * `entries[i]`) that the catalog loads into a Map: `entry >= 0` names one record
 * (`entry & recordMask`; a live technique, or a revoked one to follow), `entry < 0` is an
 * ambiguity whose live candidates are the records `groups[~entry]`. It is part of the catalog
 * data, computed by the STIX reader, so the shipped catalog loads it instead of rebuilding it.
 */
export interface TechniqueIndexData {
  readonly keys: readonly string[];
  readonly entries: readonly number[];
  readonly groups: readonly (readonly number[])[];
}

/** Record indexes share an entry with the tier that claimed the key (bits above 20). */
export const recordMask = 0xfffff;
const tierShift = 20;

/** The parent record of a sub-technique, if the data names one. */
export function subtechniqueParent(
  record: TechniqueRecord,
  records: readonly TechniqueRecord[],
): number | undefined {
  const parent = record[3];
  return (record[4] & TechniqueFlag.subtechnique) !== 0 && parent >= 0 && parent < records.length
    ? parent
    : undefined;
}

/**
 * The revoked records from `start` up to the live technique that finally replaced it (any number
 * of `revoked-by` hops), or `undefined` when the chain ends without one.
 */
export function revocationChain(
  start: number,
  records: readonly TechniqueRecord[],
): { readonly chain: readonly number[]; readonly target: number } | undefined {
  const chain: number[] = [];
  let index = start;
  while (index >= 0 && index < records.length && !chain.includes(index)) {
    const record = records[index] as TechniqueRecord;
    if ((record[4] & TechniqueFlag.revoked) === 0) return { chain, target: index };
    chain.push(index);
    index = record[5];
  }
  return undefined;
}

const whitespace = /\s+/g;
const nonAscii = /\P{ASCII}/u;

/**
 * The lookup key of an ID or name: case-insensitive and blind to all whitespace, so that
 * `valid accounts:cloud accounts`, ` T1078.004 ` and `Valid  Accounts: Cloud Accounts` meet.
 * Removing whitespace entirely (rather than collapsing it) also absorbs the spacing around the
 * `Parent: Sub` colon. NFKC folds look-alike Unicode forms (full-width letters, no-break spaces).
 */
export function lookupKey(input: string): string {
  const folded = nonAscii.test(input) ? input.normalize('NFKC') : input;
  return folded.toLowerCase().replace(whitespace, '');
}

/**
 * How strongly a spelling names a technique; for each key only the strongest tier counts, and
 * several techniques in that tier make the key ambiguous. IDs beat `Parent: Sub` names, which beat
 * bare sub-technique names (a parent's own name is its d3Name, so it is never ambiguous with a
 * sub-technique of the same name); current techniques beat deprecated ones, which beat revoked
 * ones (old names such as "PowerShell" still resolve, but never shadow a live technique).
 */
const Tier = Object.freeze({
  id: 0,
  d3Name: 1,
  deprecatedD3Name: 2,
  bareName: 3,
  deprecatedBareName: 4,
  revokedName: 5,
});

/** The index over the records, keyed by {@link lookupKey}. */
export function buildTechniqueIndex(records: readonly TechniqueRecord[]): TechniqueIndexData {
  if (records.length > recordMask) {
    throw new RangeError(`An ATT&CK catalog holds at most ${recordMask} techniques`);
  }
  const entries = new Map<string, number>();
  const groups: number[][] = [];
  const groupTiers: number[] = [];
  const groupKeys: string[] = [];
  const claim = (key: string, tier: number, record: number): void => {
    const existing = entries.get(key);
    if (existing === undefined) {
      entries.set(key, (tier << tierShift) | record);
    } else if (existing >= 0) {
      // Tiers are claimed in ascending order, so an existing entry is stronger or a tie.
      if (existing >>> tierShift === tier && (existing & recordMask) !== record) {
        groups.push([existing & recordMask, record]);
        groupTiers.push(tier);
        groupKeys.push(key);
        entries.set(key, ~(groups.length - 1));
      }
    } else if (groupTiers[~existing] === tier) {
      const group = groups[~existing];
      if (group !== undefined && !group.includes(record)) group.push(record);
    }
  };

  const isSub = (flags: number) => (flags & TechniqueFlag.subtechnique) !== 0;
  const count = records.length;
  const nameKeys = new Array<string>(count);
  const d3Keys = new Array<string>(count);
  for (let index = 0; index < count; index++) {
    const record = records[index] as TechniqueRecord;
    nameKeys[index] = lookupKey(record[1]);
    claim(record[0].toLowerCase(), Tier.id, index);
  }
  for (let index = 0; index < count; index++) {
    const record = records[index] as TechniqueRecord;
    const parent = subtechniqueParent(record, records);
    d3Keys[index] =
      parent === undefined
        ? (nameKeys[index] as string)
        : `${nameKeys[parent] as string}:${nameKeys[index] as string}`;
  }
  // Claims go in ascending tier order, so a key's first claim is its strongest.
  const tierKeys: string[][] = Object.values(Tier).map(() => []);
  const tierRecords: number[][] = Object.values(Tier).map(() => []);
  const queue = (tier: number, key: string, record: number) => {
    tierKeys[tier]?.push(key);
    tierRecords[tier]?.push(record);
  };
  for (let index = 0; index < count; index++) {
    const flags = (records[index] as TechniqueRecord)[4];
    const nameKey = nameKeys[index] as string;
    const d3Key = d3Keys[index] as string;
    const state = liveState(flags);
    if (state === 'revoked') {
      queue(Tier.revokedName, nameKey, index);
      if (d3Key !== nameKey) queue(Tier.revokedName, d3Key, index);
      continue;
    }
    const deprecated = state === 'deprecated';
    queue(deprecated ? Tier.deprecatedD3Name : Tier.d3Name, d3Key, index);
    if (isSub(flags)) queue(deprecated ? Tier.deprecatedBareName : Tier.bareName, nameKey, index);
  }
  tierKeys.forEach((keys, tier) => {
    const owners = tierRecords[tier] ?? [];
    keys.forEach((key, position) => claim(key, tier, owners[position] as number));
  });

  settleGroups(entries, groupKeys, groups, groupTiers, records);

  return { keys: [...entries.keys()], entries: [...entries.values()], groups };
}

type LiveState = 'active' | 'deprecated' | 'revoked';

function liveState(flags: number): LiveState {
  if ((flags & TechniqueFlag.revoked) !== 0) return 'revoked';
  return (flags & TechniqueFlag.deprecated) !== 0 ? 'deprecated' : 'active';
}

/**
 * Ties among live techniques stay ambiguous. Ties among revoked names (T1073 and T1574.002 were
 * both "DLL Side-Loading") resolve when every chain leads to the same technique, reporting the
 * shortest chain; otherwise their replacements are the candidates.
 */
function settleGroups(
  entries: Map<string, number>,
  groupKeys: readonly string[],
  groups: number[][],
  groupTiers: readonly number[],
  records: readonly TechniqueRecord[],
): void {
  groupKeys.forEach((key, group) => {
    if (groupTiers[group] !== Tier.revokedName) return;
    const members = groups[group] ?? [];
    const best = new Map<number, { member: number; hops: number }>();
    for (const member of members) {
      const followed = revocationChain(member, records);
      if (followed === undefined) continue;
      const known = best.get(followed.target);
      if (known === undefined || followed.chain.length < known.hops) {
        best.set(followed.target, { member, hops: followed.chain.length });
      }
    }
    const choices = [...best.values()];
    const single = choices.length <= 1 ? (choices[0]?.member ?? members[0]) : undefined;
    if (single !== undefined) {
      entries.set(key, (Tier.revokedName << tierShift) | single);
    } else {
      groups[group] = [...best.keys()].sort((left, right) => left - right);
    }
  });
}
