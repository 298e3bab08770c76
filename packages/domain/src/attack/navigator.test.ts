import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { getAttackCatalog } from './index.js';
import { navigatorLayerSchema, toNavigatorLayer } from './navigator.js';
import { pairTechniquesWithTactics } from './pairing.js';

const catalog = getAttackCatalog('enterprise');
const validate = new Ajv2020({ strict: true }).compile(navigatorLayerSchema);

describe('toNavigatorLayer', () => {
  it('lists each tagged technique with its tactic, scored by the events that carry it', () => {
    const { pairs } = pairTechniquesWithTactics(catalog, {
      tactics: ['Initial Access', 'TA0002', 'TA0003'],
      techniques: ['Valid Accounts: Cloud Accounts', 'T1569', 'Traffic Signaling: Port Knocking'],
    });
    const layer = toNavigatorLayer(
      pairs.map((pair) => ({ ...pair, events: 2 })),
      { catalog, name: 'tagged' },
    );
    expect(validate(layer), JSON.stringify(validate.errors)).toBe(true);
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.versions).toMatchObject({ attack: '18', layer: '4.5' });
    expect(layer.techniques).toEqual(
      pairs.map(({ tactic, technique }) => ({
        techniqueID: technique.id,
        tactic: tactic.shortname,
        score: 2,
        enabled: true,
      })),
    );
    expect(layer.techniques.map((cell) => [cell.techniqueID, cell.tactic])).toContainEqual([
      'T1205.001',
      'persistence',
    ]);
  });

  it('takes the shipped enterprise catalog when given no options, as the API section has it', () => {
    const { pairs } = pairTechniquesWithTactics(catalog, { techniques: ['T1569'] });
    const layer = toNavigatorLayer(pairs);
    expect(validate(layer)).toBe(true);
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.name).toBe('D3 SOAR event techniques');
    expect(layer.techniques.map((cell) => cell.techniqueID)).toEqual(
      pairs.map((p) => p.technique.id),
    );
  });

  it('adds up a pair given several times, and sets the gradient to the highest score', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.constantFrom(...catalog.techniques.slice(0, 40)),
            fc.integer({ min: 1, max: 9 }),
          ),
          {
            minLength: 1,
            maxLength: 30,
          },
        ),
        (picks) => {
          const pairs = picks.flatMap(([technique, events]) =>
            technique.tactics.map((tactic) => ({ tactic, technique, events })),
          );
          const layer = toNavigatorLayer(pairs, { catalog });
          expect(validate(layer)).toBe(true);
          const total = (id: string, shortname: string) =>
            pairs
              .filter((pair) => pair.technique.id === id && pair.tactic.shortname === shortname)
              .reduce((sum, pair) => sum + pair.events, 0);
          for (const cell of layer.techniques) {
            expect(cell.score).toBe(total(cell.techniqueID, cell.tactic));
          }
          expect(layer.gradient.maxValue).toBe(Math.max(...layer.techniques.map((c) => c.score)));
          expect(new Set(layer.techniques.map((c) => `${c.techniqueID} ${c.tactic}`)).size).toBe(
            layer.techniques.length,
          );
        },
      ),
      { numRuns: 100 },
    );
  });

  it('names the domain and version of the catalog the pairs come from, and refuses a bad count', () => {
    const ics = getAttackCatalog('ics');
    const [technique] = ics.techniques;
    if (technique === undefined) throw new Error('no ICS technique');
    const tactic = ics.tactic(technique.tactics[0]?.id ?? '');
    const layer = toNavigatorLayer([{ tactic, technique }], { catalog: ics });
    expect(layer.domain).toBe('ics-attack');
    expect(validate(layer)).toBe(true);
    expect(() => toNavigatorLayer([{ tactic, technique, events: 0 }], { catalog: ics })).toThrow(
      RangeError,
    );
  });
});
