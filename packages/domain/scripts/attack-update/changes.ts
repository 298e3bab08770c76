// What an update changes in a domain's catalog, in the words a reviewer wants: tactics and
// techniques added, revoked (with their replacement), deprecated, renamed, and the new version.
import {
  TechniqueFlag,
  type CatalogData,
  type TechniqueRecord,
} from '../../src/attack/catalog-data.js';

/** Items listed per kind of change before the rest are counted. */
const listed = 12;

export function describeChanges(before: CatalogData | undefined, after: CatalogData): string[] {
  const title = `${after.domain}: ATT&CK ${before === undefined ? '(none)' : `v${before.version}`} → v${after.version}`;
  if (before === undefined) {
    return [
      title,
      `  ${after.tactics.length} tactics, ${after.techniques.length} techniques (new catalog)`,
    ];
  }
  const oldTactics = new Map(before.tactics.map(([id, name]) => [id, name]));
  const newTactics = new Map(after.tactics.map(([id, name]) => [id, name]));
  const oldTechniques = new Map(before.techniques.map((record) => [record[0], record]));
  const idOf = (index: number) => after.techniques[index]?.[0] ?? '?';
  const flag = (flags: number | undefined, bit: number) => ((flags ?? 0) & bit) !== 0;
  /** Techniques that carry the flag now and did not before (or are new). */
  const newly =
    (bit: number) =>
    ([id, , , , flags]: TechniqueRecord): boolean =>
      flag(flags, bit) && !flag(oldTechniques.get(id)?.[4], bit);

  const sections: [string, string[]][] = [
    [
      'tactics added',
      after.tactics.filter(([id]) => !oldTactics.has(id)).map(([id, name]) => `${id} ${name}`),
    ],
    [
      'tactics removed',
      before.tactics.filter(([id]) => !newTactics.has(id)).map(([id, name]) => `${id} ${name}`),
    ],
    [
      'tactics renamed',
      after.tactics
        .filter(([id, name]) => oldTactics.has(id) && oldTactics.get(id) !== name)
        .map(([id, name]) => `${id} "${oldTactics.get(id) ?? ''}" → "${name}"`),
    ],
    [
      'techniques added',
      after.techniques
        .filter(
          ([id, , , , flags]) => !oldTechniques.has(id) && !flag(flags, TechniqueFlag.revoked),
        )
        .map(([id, name]) => `${id} ${name}`),
    ],
    [
      'techniques revoked',
      after.techniques
        .filter(newly(TechniqueFlag.revoked))
        .map(([id, name, , , , revokedBy]) =>
          revokedBy >= 0 ? `${id} ${name} → ${idOf(revokedBy)}` : `${id} ${name}`,
        ),
    ],
    [
      'techniques deprecated',
      after.techniques.filter(newly(TechniqueFlag.deprecated)).map(([id, name]) => `${id} ${name}`),
    ],
    [
      'techniques renamed',
      after.techniques
        .filter(([id, name]) => {
          const old = oldTechniques.get(id);
          return old !== undefined && old[1] !== name;
        })
        .map(([id, name]) => `${id} "${oldTechniques.get(id)?.[1] ?? ''}" → "${name}"`),
    ],
  ];
  const lines = [title];
  for (const [heading, items] of sections) {
    if (items.length === 0) continue;
    const shown = items.slice(0, listed).join('; ');
    const rest = items.length > listed ? `; and ${items.length - listed} more` : '';
    lines.push(`  ${heading} (${items.length}): ${shown}${rest}`);
  }
  if (lines.length === 1) lines.push('  no changes to tactics or techniques');
  return lines;
}
