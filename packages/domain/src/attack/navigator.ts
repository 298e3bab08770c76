// ATT&CK coverage as a layer for MITRE's ATT&CK Navigator (layer format 4.5), so what was tagged
// opens there as a heatmap. Only the fields this module writes are modelled; the Navigator fills
// in the rest with its defaults.
import type { TacticTechniquePair } from './pairing.js';
import { getEnterpriseAttackCatalog } from './shipped.js';
import type { AttackCatalog } from './types.js';

/** The Navigator layer format this module writes. */
export const navigatorLayerVersion = '4.5';
/** The Navigator version the layer names (a release that reads and writes layer format 4.5). */
export const navigatorVersion = '5.1.0';

/** One cell of the layer: a technique under one tactic, scored by how many events carry it. */
export interface NavigatorTechnique {
  readonly techniqueID: string;
  /** The tactic's shortname, e.g. `initial-access`. */
  readonly tactic: string;
  readonly score: number;
  readonly enabled: true;
}

/** An ATT&CK Navigator layer (format 4.5), the fields this module writes. */
export interface NavigatorLayer {
  readonly name: string;
  readonly description: string;
  readonly domain: `${AttackCatalog['domain']}-attack`;
  readonly versions: {
    readonly attack: string;
    readonly navigator: string;
    readonly layer: string;
  };
  readonly techniques: readonly NavigatorTechnique[];
  readonly gradient: {
    readonly colors: readonly string[];
    readonly minValue: number;
    readonly maxValue: number;
  };
  readonly sorting: number;
  readonly hideDisabled: boolean;
}

/** A pair as SetEventTechniques stores it, with how many events carry it (default 1). */
export type NavigatorPair = TacticTechniquePair & { readonly events?: number };

/** Options of {@link toNavigatorLayer}. */
export interface NavigatorLayerOptions {
  /** The layer's name in the Navigator. Default: `D3 SOAR event techniques`. */
  readonly name?: string;
  readonly description?: string;
  /**
   * The catalog the pairs come from: it names the domain and the ATT&CK version. Default: the
   * shipped enterprise catalog; pass the catalog of any other domain or version.
   */
  readonly catalog?: AttackCatalog;
}

/**
 * A Navigator layer with one entry per tactic/technique pair (pairs given twice add up), scored by
 * the number of events that carry it, on a white-to-red gradient from 0 to the highest score.
 *
 * @throws {RangeError} for an event count that is not a whole number of at least 1.
 */
export function toNavigatorLayer(
  pairs: readonly NavigatorPair[],
  options: NavigatorLayerOptions = {},
): NavigatorLayer {
  const scores = new Map<string, { techniqueID: string; tactic: string; score: number }>();
  for (const { tactic, technique, events = 1 } of pairs) {
    if (!Number.isInteger(events) || events < 1) {
      throw new RangeError(`events must be a whole number of at least 1, got ${String(events)}`);
    }
    const key = `${technique.id} ${tactic.shortname}`;
    const cell = scores.get(key);
    if (cell === undefined) {
      scores.set(key, { techniqueID: technique.id, tactic: tactic.shortname, score: events });
    } else {
      cell.score += events;
    }
  }
  const techniques = [...scores.values()].map((cell) => ({ ...cell, enabled: true as const }));
  const catalog = options.catalog ?? getEnterpriseAttackCatalog();
  return {
    name: options.name ?? 'D3 SOAR event techniques',
    description: options.description ?? '',
    domain: `${catalog.domain}-attack`,
    versions: {
      // The Navigator takes the major version ("18"); a catalog says "18.1".
      attack: catalog.version.split('.')[0] ?? catalog.version,
      navigator: navigatorVersion,
      layer: navigatorLayerVersion,
    },
    techniques,
    gradient: {
      colors: ['#ffffff', '#ff6666'],
      minValue: 0,
      maxValue: Math.max(1, ...techniques.map((cell) => cell.score)),
    },
    sorting: 3,
    hideDisabled: false,
  };
}

/**
 * A JSON Schema (draft 2020-12) of the layer fields this module writes, as the Navigator's layer
 * format 4.5 defines them: for checking written layers where the format's own documentation is
 * out of reach.
 */
export const navigatorLayerSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  required: ['name', 'domain', 'versions', 'techniques'],
  properties: {
    name: { type: 'string', minLength: 1 },
    description: { type: 'string' },
    domain: { enum: ['enterprise-attack', 'mobile-attack', 'ics-attack'] },
    versions: {
      type: 'object',
      required: ['attack', 'navigator', 'layer'],
      properties: {
        attack: { type: 'string', pattern: '^\\d+$' },
        navigator: { type: 'string', pattern: '^\\d+\\.\\d+(\\.\\d+)?$' },
        layer: { const: '4.5' },
      },
    },
    techniques: {
      type: 'array',
      items: {
        type: 'object',
        required: ['techniqueID', 'tactic', 'score'],
        properties: {
          techniqueID: { type: 'string', pattern: '^T\\d{4}(\\.\\d{3})?$' },
          tactic: { type: 'string', pattern: '^[a-z]+(-[a-z]+)*$' },
          score: { type: 'number', minimum: 0 },
          enabled: { type: 'boolean' },
        },
      },
    },
    gradient: {
      type: 'object',
      required: ['colors', 'minValue', 'maxValue'],
      properties: {
        colors: {
          type: 'array',
          minItems: 2,
          items: { type: 'string', pattern: '^#[0-9a-fA-F]{6}$' },
        },
        minValue: { type: 'number' },
        maxValue: { type: 'number' },
      },
    },
    sorting: { enum: [0, 1, 2, 3] },
    hideDisabled: { type: 'boolean' },
  },
} as const;
