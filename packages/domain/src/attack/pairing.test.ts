import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { thrownBy } from '../test-support/thrown-by.js';
import { vendorRequestSample, vendorResponseSample } from '../test-support/vendor-reference.js';
import { getAttackCatalog } from './index.js';
import { AttackLookupError } from './errors.js';
import { d3RequestOf, pairTechniquesWithTactics, toD3Values } from './pairing.js';

const catalog = getAttackCatalog('enterprise');
const asNames = (pairs: { tactic: { name: string }; technique: { d3Name: string } }[]) =>
  pairs.map((pair) => ({ tactic: pair.tactic.name, technique: pair.technique.d3Name }));
/** The vendor's request sample, and each event's stored pairs from its response sample. */
function setEventTechniquesSample() {
  const request = vendorRequestSample<{
    CommandParams: { Tactics: string[]; Techniques: string[] };
  }>('SetEventTechniques');
  const response = vendorResponseSample<{
    contextData: { techniques: { TacticName: string; TechniqueName: string }[] }[];
  }>('SetEventTechniques');
  return {
    tactics: request.CommandParams.Tactics,
    techniques: request.CommandParams.Techniques,
    responsePairs: response.contextData.map((event) =>
      event.techniques.map((pair) => ({ tactic: pair.TacticName, technique: pair.TechniqueName })),
    ),
  };
}
const byText = (left: { tactic: string; technique: string }, right: typeof left) =>
  `${left.technique}|${left.tactic}`.localeCompare(`${right.technique}|${right.tactic}`);

describe('pairTechniquesWithTactics', () => {
  it("pairs the vendor's SetEventTechniques sample exactly as the vendor's response shows", () => {
    const sample = setEventTechniquesSample();
    const { pairs, unpaired } = pairTechniquesWithTactics(catalog, sample);
    expect(sample.responsePairs.length).toBeGreaterThan(0);
    for (const stored of sample.responsePairs) {
      // D3 lists an event's pairs in its own storage order; the set of pairs is the contract.
      expect(asNames(pairs).sort(byText)).toEqual([...stored].sort(byText));
    }
    expect(unpaired).toEqual([]);
  });

  it('pairs each technique with every one of its tactics when no tactic is requested', () => {
    const technique = catalog.technique('T1078.004');
    const { pairs } = pairTechniquesWithTactics(catalog, { techniques: ['T1078.004'] });
    expect(pairs.map((pair) => pair.tactic)).toEqual(technique.tactics);
  });

  it('reports techniques that fit none of the requested tactics as unpaired', () => {
    fc.assert(
      fc.property(
        fc.subarray([...catalog.tactics], { minLength: 1 }),
        fc.subarray(catalog.techniques.slice(0, 120), { minLength: 1, maxLength: 6 }),
        (tactics, techniques) => {
          const { pairs, unpaired } = pairTechniquesWithTactics(catalog, {
            tactics: tactics.map((tactic) => tactic.shortname),
            techniques: techniques.map((technique) => technique.id),
          });
          for (const technique of techniques) {
            const fitting = tactics.filter((tactic) =>
              technique.tactics.some((own) => own.id === tactic.id),
            );
            const paired = pairs.filter((pair) => pair.technique.id === technique.id);
            expect(paired.map((pair) => pair.tactic.id)).toEqual(fitting.map((t) => t.id));
            expect(unpaired.some((t) => t.id === technique.id)).toBe(fitting.length === 0);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('throws the lookup error of the first input that does not resolve', () => {
    expect(() =>
      pairTechniquesWithTactics(catalog, { tactics: ['Initial Acces'], techniques: ['T1078'] }),
    ).toThrow(AttackLookupError);
  });
});

describe('toD3Values', () => {
  it('gives tactic names and technique d3Names, de-duplicated in first-seen order', () => {
    const values = toD3Values(catalog, {
      tactics: ['TA0003', 'initial-access', 'Persistence'],
      techniques: ['t1078.004', 'Valid Accounts: Cloud Accounts', 'T1569'],
    });
    const cloud = catalog.technique('T1078.004');
    expect(values).toEqual({
      tactics: [catalog.tactic('TA0003').name, catalog.tactic('TA0001').name],
      techniques: [cloud.d3Name, catalog.technique('T1569').d3Name],
    });
  });

  it('gives IDs when asked, with revoked IDs replaced by their live technique', () => {
    const revoked = catalog.technique('T1086');
    expect(revoked.replaces?.[0]?.id).toBe('T1086');
    const values = toD3Values(
      catalog,
      { tactics: ['Execution'], techniques: ['T1086', revoked.d3Name] },
      { as: 'id' },
    );
    expect(values).toEqual({ tactics: [catalog.tactic('Execution').id], techniques: [revoked.id] });
  });

  it('rejects an `as` outside the contract', () => {
    expect(() => toD3Values(catalog, {}, { as: 'guid' as unknown as 'id' })).toThrow(/options\.as/);
  });
});

describe('technique lookup options of pairTechniquesWithTactics and toD3Values', () => {
  const revoked = 'T1086';
  const replacement = catalog.technique(revoked);
  const deprecated = catalog.techniques.find((technique) => technique.deprecated);
  const refusal = (run: () => unknown) => thrownBy(AttackLookupError, run);

  it('follow revoked IDs by default and refuse them with { revoked: "error" }', () => {
    expect(replacement.replaces?.[0]?.id).toBe(revoked);
    const request = { techniques: [revoked] };
    expect(pairTechniquesWithTactics(catalog, request).pairs.map((p) => p.technique.id)).toEqual(
      replacement.tactics.map(() => replacement.id),
    );
    expect(toD3Values(catalog, request, { as: 'id' }).techniques).toEqual([replacement.id]);

    const paired = refusal(() => pairTechniquesWithTactics(catalog, request, { revoked: 'error' }));
    expect(paired).toMatchObject({ code: 'revoked', input: revoked });
    expect(paired.candidates.map((candidate) => candidate.id)).toEqual([replacement.id]);
    const values = refusal(() => toD3Values(catalog, request, { as: 'id', revoked: 'error' }));
    expect(values).toMatchObject({ code: 'revoked', input: revoked });
  });

  it('allow deprecated techniques by default and refuse them with { deprecated: "error" }', () => {
    if (deprecated === undefined) throw new Error('the catalog has no deprecated technique');
    const request = { techniques: ['T1078', deprecated.id] };
    expect(toD3Values(catalog, request).techniques).toEqual([
      catalog.technique('T1078').d3Name,
      deprecated.d3Name,
    ]);
    expect(
      pairTechniquesWithTactics(catalog, request).pairs.some(
        (pair) => pair.technique.id === deprecated.id,
      ),
    ).toBe(deprecated.tactics.length > 0);

    for (const run of [
      () => pairTechniquesWithTactics(catalog, request, { deprecated: 'error' }),
      () => toD3Values(catalog, request, { deprecated: 'error' }),
      () => toD3Values(catalog, { techniques: [deprecated] }, { deprecated: 'error' }),
    ]) {
      expect(refusal(run)).toMatchObject({ code: 'deprecated' });
    }
  });

  it('leave live, current techniques alone whatever the options', () => {
    const request = { tactics: ['Initial Access'], techniques: ['T1078.004', 'T1566.001'] };
    const strict = { revoked: 'error', deprecated: 'error' } as const;
    expect(pairTechniquesWithTactics(catalog, request, strict)).toEqual(
      pairTechniquesWithTactics(catalog, request),
    );
    expect(toD3Values(catalog, request, strict)).toEqual(toD3Values(catalog, request));
  });

  it('reject policies outside the contract, naming the option', () => {
    expect(() =>
      pairTechniquesWithTactics(
        catalog,
        { techniques: ['T1078'] },
        { revoked: 'skip' as unknown as 'follow' },
      ),
    ).toThrow(/options\.revoked/);
    expect(() =>
      toD3Values(catalog, { techniques: ['T1078'] }, { deprecated: 'hide' as unknown as 'allow' }),
    ).toThrow(/options\.deprecated/);
  });
});

describe('de-duplication', () => {
  it('keeps each ID once, in first-seen order, for a handful of inputs and for many', () => {
    // A small pool, so that repeats are common; lists on both sides of 16 inputs.
    const pool = catalog.techniques.slice(0, 12).map((technique) => technique.id);
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 40 }), (techniques) => {
        const ids = techniques.map((id) => catalog.technique(id).id);
        expect(toD3Values(catalog, { techniques }, { as: 'id' }).techniques).toEqual([
          ...new Set(ids),
        ]);
      }),
    );
  });
});

describe('d3RequestOf', () => {
  it('gives, for resolved inputs, what toD3Values and pairTechniquesWithTactics give for the same inputs', () => {
    // Repeats included: de-duplication is part of the rule.
    const tacticIds = catalog.tactics.map((tactic) => tactic.id);
    const techniqueIds = catalog.techniques.map((technique) => technique.id);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...tacticIds), { maxLength: 5 }),
        fc.array(fc.constantFrom(...techniqueIds), { maxLength: 8 }),
        fc.constantFrom('id' as const, 'name' as const),
        (tactics, techniques, as) => {
          const request = { tactics, techniques };
          const resolved = {
            tactics: tactics.map((id) => catalog.tactic(id)),
            techniques: techniques.map((id) => catalog.technique(id)),
          };
          expect(d3RequestOf(resolved, as)).toEqual({
            ...toD3Values(catalog, request, { as }),
            ...pairTechniquesWithTactics(catalog, request),
          });
        },
      ),
    );
  });
});
