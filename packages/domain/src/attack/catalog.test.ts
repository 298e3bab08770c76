import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import {
  externalId,
  loadAttackBundle,
  type StixTestBundle,
  type StixTestObject,
} from '../test-support/attack-data.js';
import { thrownBy } from '../test-support/thrown-by.js';
import { attackDomains, lookupKey } from './catalog-data.js';
import { AttackLookupError } from './errors.js';
import { getAttackCatalog } from './index.js';
import { maxFuzzyTerms, maxQueryLength, maxQueryTerms } from './search.js';
import type { AttackCatalog, AttackDomain } from './types.js';

/** What the raw STIX data says, read here independently of the catalog's reader. */
function rawView(bundle: StixTestBundle) {
  const byStixId = new Map(bundle.objects.map((object) => [object.id, object]));
  const patterns = bundle.objects.filter((object) => object.type === 'attack-pattern');
  const relation = (type: string) =>
    new Map(
      bundle.objects
        .filter((object) => object.type === 'relationship' && object.relationship_type === type)
        .map((object) => [object.source_ref ?? '', byStixId.get(object.target_ref ?? '')]),
    );
  const parentOf = relation('subtechnique-of');
  const revokedBy = relation('revoked-by');
  const active = patterns.filter((object) => !object.revoked && !object.x_mitre_deprecated);
  const d3Name = (object: StixTestObject) => {
    const parent = parentOf.get(object.id);
    return parent === undefined ? object.name : `${parent.name}: ${object.name}`;
  };
  return { byStixId, patterns, parentOf, revokedBy, active, d3Name };
}

/** The AttackLookupError a call throws (fails the test if it throws nothing or something else). */
const lookupError = (run: () => unknown): AttackLookupError => thrownBy(AttackLookupError, run);

/** Random letter case and extra whitespace: what people type. */
const sloppy = (text: string) =>
  fc
    .tuple(
      fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }),
      fc.constantFrom('', ' ', '  ', '\t'),
      fc.constantFrom('', ' ', '\u00a0'),
    )
    .map(
      ([upper, lead, inner]) =>
        lead +
        Array.from(text, (char, index) => (upper[index] ? char.toUpperCase() : char.toLowerCase()))
          .join('')
          .replace(/: /g, `${inner}:${inner} `) +
        lead,
    );

describe.each(attackDomains)('the %s catalog', (domain: AttackDomain) => {
  const catalog: AttackCatalog = getAttackCatalog(domain);
  const raw = rawView(loadAttackBundle(domain));

  it('resolves every tactic by ID, name and shortname, in any case and spacing', () => {
    const rawTactics = loadAttackBundle(domain).objects.filter(
      (object) => object.type === 'x-mitre-tactic',
    );
    expect(catalog.tactics).toHaveLength(rawTactics.length);
    for (const object of rawTactics) {
      const id = externalId(object) ?? '';
      const expected = { id, name: object.name, shortname: object.x_mitre_shortname };
      for (const input of [id, object.name ?? '', object.x_mitre_shortname ?? '']) {
        expect(catalog.tactic(input)).toMatchObject(expected);
        expect(catalog.tactic(` ${input.toUpperCase()} `)).toMatchObject(expected);
        expect(catalog.tactic(input.toLowerCase().replace(/ /g, '  '))).toMatchObject(expected);
      }
    }
  });

  it('resolves every active technique by its ID and by its d3Name', () => {
    expect(catalog.techniques.filter((technique) => !technique.deprecated)).toHaveLength(
      raw.active.length,
    );
    for (const object of raw.active) {
      const id = externalId(object) ?? '';
      const technique = catalog.technique(id);
      expect(technique).toMatchObject({ id, name: object.name, d3Name: raw.d3Name(object) });
      expect(technique.deprecated).toBe(false);
      expect(catalog.technique(id.toLowerCase())).toBe(technique);
      expect(catalog.technique(technique.d3Name)).toBe(technique);
      const reference = object.external_references?.find((ref) => ref.external_id === id);
      expect(technique.url).toBe(reference?.url);
    }
  });

  it('resolves IDs and d3Names typed in any case and spacing (property)', () => {
    const techniques = catalog.techniques.filter((technique) => !technique.deprecated);
    fc.assert(
      fc.property(
        fc
          .constantFrom(...techniques)
          .chain((technique) =>
            fc.tuple(
              fc.constant(technique),
              fc.oneof(sloppy(technique.id), sloppy(technique.d3Name)),
            ),
          ),
        ([technique, input]) => {
          expect(catalog.technique(input).id).toBe(technique.id);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('lists tactics in the order of the current matrix', () => {
    const matrices = loadAttackBundle(domain).objects.filter(
      (object) => object.type === 'x-mitre-matrix' && !object.x_mitre_deprecated,
    ) as (StixTestObject & { tactic_refs: string[] })[];
    const order = matrices.flatMap((matrix) =>
      matrix.tactic_refs.map((ref) => externalId(raw.byStixId.get(ref) as StixTestObject)),
    );
    expect(catalog.tactics.slice(0, order.length).map((tactic) => tactic.id)).toEqual(order);
  });

  it("gives each technique the tactics of its kill-chain phases, in the matrix's order", () => {
    const position = new Map(catalog.tactics.map((tactic, index) => [tactic.shortname, index]));
    for (const object of raw.active) {
      const expected = (object.kill_chain_phases ?? [])
        .map((phase) => phase.phase_name)
        .sort((left, right) => (position.get(left) ?? 0) - (position.get(right) ?? 0));
      const technique = catalog.technique(externalId(object) ?? '');
      expect(technique.tactics.map((tactic) => tactic.shortname)).toEqual(expected);
    }
  });

  it('follows every revoked ID along its whole revoked-by chain to a live technique', () => {
    const revoked = raw.patterns.filter((object) => object.revoked);
    for (const object of revoked) {
      const chain: StixTestObject[] = [];
      let current: StixTestObject | undefined = object;
      while (current?.revoked) {
        chain.push(current);
        current = raw.revokedBy.get(current.id);
      }
      const id = externalId(object) ?? '';
      if (current === undefined) {
        expect(lookupError(() => catalog.technique(id)).code).toBe('revoked');
        continue;
      }
      const technique = catalog.technique(id);
      expect(technique.id).toBe(externalId(current));
      expect(technique.replaces?.map((link) => link.id)).toEqual(chain.map(externalId));
      expect(catalog.technique(technique.id).replaces).toBeUndefined();
      const refused = lookupError(() => catalog.technique(id, { revoked: 'error' }));
      expect(refused.code).toBe('revoked');
      expect(refused.candidates.map((candidate) => candidate.id)).toEqual([technique.id]);
    }
  });

  it('reports every candidate of an ambiguous bare sub-technique name', () => {
    const byName = new Map<string, StixTestObject[]>();
    for (const object of raw.active.filter((candidate) => candidate.x_mitre_is_subtechnique)) {
      const key = lookupKey(object.name ?? '');
      byName.set(key, [...(byName.get(key) ?? []), object]);
    }
    const parentNames = new Set(
      raw.active
        .filter((object) => !object.x_mitre_is_subtechnique)
        .map((o) => lookupKey(o.name ?? '')),
    );
    for (const [key, objects] of byName) {
      const [first] = objects;
      if (first === undefined || parentNames.has(key)) continue;
      if (objects.length === 1) {
        expect(catalog.technique(first.name ?? '').id).toBe(externalId(first));
        continue;
      }
      const error = lookupError(() => catalog.technique(first.name ?? ''));
      expect(error.code).toBe('ambiguous');
      expect(error.candidates.map(({ id, d3Name }) => ({ id, d3Name }))).toEqual(
        expect.arrayContaining(objects.map((o) => ({ id: externalId(o), d3Name: raw.d3Name(o) }))),
      );
      expect(error.candidates).toHaveLength(objects.length);
    }
  });

  it('refuses deprecated techniques only when asked to', () => {
    for (const object of raw.patterns.filter((o) => o.x_mitre_deprecated && !o.revoked)) {
      const id = externalId(object) ?? '';
      expect(catalog.technique(id).deprecated).toBe(true);
      expect(lookupError(() => catalog.technique(id, { deprecated: 'error' })).code).toBe(
        'deprecated',
      );
    }
  });

  it('lists the techniques of each tactic and the sub-techniques of each technique', () => {
    for (const tactic of catalog.tactics) {
      const expected = raw.active
        .filter((object) =>
          object.kill_chain_phases?.some((phase) => phase.phase_name === tactic.shortname),
        )
        .map(externalId)
        .sort();
      expect(catalog.techniquesOf(tactic.name).map((technique) => technique.id)).toEqual(expected);
      expect(
        catalog
          .techniquesOf(tactic, { includeSubtechniques: false })
          .every((t) => !t.isSubtechnique),
      ).toBe(true);
    }
    for (const parent of raw.active.filter((object) => !object.x_mitre_is_subtechnique)) {
      const expected = raw.active
        .filter((object) => raw.parentOf.get(object.id)?.id === parent.id)
        .map(externalId)
        .sort();
      const id = externalId(parent) ?? '';
      expect(catalog.subtechniquesOf(id).map((technique) => technique.id)).toEqual(expected);
    }
  });

  it('never throws anything but AttackLookupError for arbitrary strings', () => {
    const policies = fc.record({
      revoked: fc.constantFrom('follow' as const, 'error' as const),
      deprecated: fc.constantFrom('allow' as const, 'error' as const),
    });
    const inputs = fc.oneof(
      fc.string(),
      fc.string({ unit: 'grapheme' }),
      fc
        .constantFrom(...catalog.techniques.map((technique) => technique.name))
        .chain((name) =>
          fc
            .tuple(fc.nat(name.length), fc.string({ maxLength: 3 }))
            .map(([at, noise]) => name.slice(0, at) + noise + name.slice(at)),
        ),
      fc.constantFrom('__proto__', 'constructor', 'toString', 'T', 'TA', ':', ''),
    );
    fc.assert(
      fc.property(inputs, policies, (input, options) => {
        for (const lookup of [
          () => catalog.technique(input, options),
          () => catalog.technique(input),
          () => catalog.tactic(input),
        ]) {
          try {
            lookup();
          } catch (error) {
            expect(error).toBeInstanceOf(AttackLookupError);
            expect((error as AttackLookupError).input).toBe(input);
          }
        }
        expect(Array.isArray(catalog.search(input))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe('revoked chains', () => {
  it('include chains of more than one hop, each followed to its end', () => {
    const multiHop = attackDomains.flatMap((domain) => {
      const raw = rawView(loadAttackBundle(domain));
      return raw.patterns
        .filter((object) => object.revoked && raw.revokedBy.get(object.id)?.revoked)
        .map((object) => ({ domain, id: externalId(object) ?? '' }));
    });
    expect(multiHop.length).toBeGreaterThan(0);
    for (const { domain, id } of multiHop) {
      const technique = getAttackCatalog(domain).technique(id);
      expect(technique.replaces?.length).toBeGreaterThan(1);
      expect(technique.replaces?.[0]?.id).toBe(id);
    }
  });
});

describe('lookup errors', () => {
  const catalog = getAttackCatalog('enterprise');
  const subtechniques = catalog.techniques.filter((t) => t.isSubtechnique && !t.deprecated);

  it('suggest the intended technique, with its ID, for a misspelt d3Name', () => {
    // Drop one letter from the longest word: a typo MiniSearch's edit distance must absorb.
    const missed: string[] = [];
    for (const technique of subtechniques) {
      const words = technique.d3Name.split(/\s+/);
      const longest = words.reduce((best, word) => (word.length > best.length ? word : best));
      if (longest.length < 6) continue;
      const typo = technique.d3Name.replace(longest, longest.slice(0, 2) + longest.slice(3));
      let error: AttackLookupError;
      try {
        catalog.technique(typo);
        continue;
      } catch (caught) {
        error = caught as AttackLookupError;
      }
      expect(error.code).toBe('not_found');
      expect(error.message).toContain(typo);
      if (!error.candidates.some((candidate) => candidate.id === technique.id)) {
        missed.push(`${typo} → ${error.candidates.map((c) => c.d3Name).join(' | ')}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('name the candidates with their IDs in the message', () => {
    const error = lookupError(() => catalog.technique('valid acounts cloud'));
    expect(error.code).toBe('not_found');
    const [best] = error.candidates;
    expect(best).toMatchObject({
      id: catalog.technique('Valid Accounts: Cloud Accounts').id,
      d3Name: 'Valid Accounts: Cloud Accounts',
    });
    expect(error.message).toContain(`${best?.id} "${best?.d3Name}"`);
  });

  it('suggest tactics for a misspelt tactic', () => {
    for (const tactic of catalog.tactics) {
      const typo = tactic.name.slice(0, 1) + tactic.name.slice(2);
      const error = lookupError(() => catalog.tactic(typo));
      expect(error.code).toBe('not_found');
      expect(error.kind).toBe('tactic');
      expect(error.candidates.map((candidate) => candidate.id)).toContain(tactic.id);
    }
  });

  it('suggest the parent and its nearest sub-techniques for a sub-technique ID that does not exist', () => {
    const error = lookupError(() => catalog.technique('T1078.005'));
    expect(error.code).toBe('not_found');
    expect(error.candidates[0]).toMatchObject({ id: 'T1078', d3Name: 'Valid Accounts' });
    expect(error.candidates[1]?.id).toBe('T1078.004');
    expect(error.message).toContain('T1078 "Valid Accounts"');

    // Every parent, asked for the sub-technique after its last one.
    const parents = catalog.techniques.filter(
      (technique) => !technique.isSubtechnique && catalog.subtechniquesOf(technique).length > 0,
    );
    expect(parents.length).toBeGreaterThan(0);
    for (const parent of parents) {
      const siblings = catalog.subtechniquesOf(parent).map((sub) => sub.id);
      const last = Math.max(...siblings.map((id) => Number(id.split('.')[1])));
      const missing = `${parent.id}.${String(last + 1).padStart(3, '0')}`;
      const { code, candidates } = lookupError(() => catalog.technique(missing.toLowerCase()));
      expect(code).toBe('not_found');
      expect(candidates.map((candidate) => candidate.id)).toEqual(
        [parent.id, ...siblings.sort().reverse()].slice(0, candidates.length),
      );
      expect(candidates.length).toBe(Math.min(5, siblings.length + 1));
    }
  });

  it('suggest existing techniques, each with its ID, for any missing ID-shaped input (property)', () => {
    const idShaped = fc
      .tuple(
        fc.integer({ min: 0, max: 9999 }),
        fc.option(fc.integer({ min: 1, max: 999 }), { nil: undefined }),
        fc.boolean(),
      )
      .map(([number, sub, lower]) => {
        const id = `T${String(number).padStart(4, '0')}${sub === undefined ? '' : `.${String(sub).padStart(3, '0')}`}`;
        return ` ${lower ? id.toLowerCase() : id} `;
      });
    fc.assert(
      fc.property(idShaped, (input) => {
        let error: AttackLookupError;
        try {
          catalog.technique(input);
          return;
        } catch (caught) {
          error = caught as AttackLookupError;
        }
        // IDs revoked without a replacement exist in some domains; they are not missing.
        if (error.code === 'revoked') return;
        expect(error.code).toBe('not_found');
        expect(error.candidates.length).toBeGreaterThan(0);
        for (const candidate of error.candidates) {
          expect(catalog.technique(candidate.id)).toMatchObject(candidate);
          expect(error.message).toContain(candidate.id);
        }
        const [number, sub] = input.trim().toUpperCase().split('.');
        const parent = catalog.techniques.find((technique) => technique.id === number);
        if (sub !== undefined && parent !== undefined) {
          expect(error.candidates[0]?.id).toBe(parent.id);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('suggest the nearest tactic IDs for a tactic ID that does not exist', () => {
    const number = (id: string) => Number(id.slice(2));
    for (const input of ['TA0099', 'ta0012', 'TA0000']) {
      const error = lookupError(() => catalog.tactic(input));
      expect(error.code).toBe('not_found');
      const distances = error.candidates.map((candidate) =>
        Math.abs(number(candidate.id) - number(input)),
      );
      expect(error.candidates).toHaveLength(Math.min(5, catalog.tactics.length));
      expect(distances).toEqual([...distances].sort((left, right) => left - right));
      expect(distances[0]).toBe(
        Math.min(...catalog.tactics.map((tactic) => Math.abs(number(tactic.id) - number(input)))),
      );
      for (const candidate of error.candidates) {
        expect(catalog.tactic(candidate.id)).toMatchObject({
          id: candidate.id,
          name: candidate.name,
        });
      }
    }
  });

  it('point from a technique ID to its tactics, and from a tactic ID to tactic lookups', () => {
    const technique = catalog.technique('T1078.004');
    const wrongKind = lookupError(() => catalog.tactic('t1078.004'));
    expect(wrongKind.code).toBe('not_found');
    expect(wrongKind.candidates.map((candidate) => candidate.id)).toEqual(
      technique.tactics.map((tactic) => tactic.id),
    );
    expect(wrongKind.message).toContain('technique ID');

    const tacticAsTechnique = lookupError(() => catalog.technique('TA0002'));
    expect(tacticAsTechnique.code).toBe('not_found');
    expect(tacticAsTechnique.message).toContain('catalog.tactic()');
  });

  it('reject lookups that are not strings and options outside the contract', () => {
    expect(() => catalog.technique(42 as unknown as string)).toThrow(TypeError);
    expect(() => catalog.tactic(undefined as unknown as string)).toThrow(TypeError);
    expect(() => catalog.technique('T1078', { revoked: 'ignore' as unknown as 'follow' })).toThrow(
      /options\.revoked/,
    );
    expect(() => catalog.search('x', { limit: -1 })).toThrow(/options\.limit/);
  });
});

describe('search', () => {
  const catalog = getAttackCatalog('enterprise');

  it('puts the intended technique first for typos and partial names', () => {
    expect(catalog.search('valid acounts cloud')[0]?.id).toBe(
      catalog.technique('Valid Accounts: Cloud Accounts').id,
    );
    expect(catalog.search('powershel')[0]?.id).toBe(
      catalog.technique('Command and Scripting Interpreter: PowerShell').id,
    );
  });

  it('keeps "Cloud Account" and "Cloud Accounts" apart, exact names first', () => {
    const named = (name: string) =>
      catalog.techniques.filter((technique) => technique.name === name).map((t) => t.id);
    const singular = named('Cloud Account');
    const plural = named('Cloud Accounts');
    expect(singular.length).toBeGreaterThan(0);
    expect(plural.length).toBeGreaterThan(0);

    const results = catalog.search('cloud account', { limit: 20 });
    const ids = results.map((result) => result.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.slice(0, singular.length).sort()).toEqual(singular.sort());
    expect(ids).toEqual(expect.arrayContaining(plural));
    expect(new Set(results.map((result) => result.d3Name)).size).toBe(results.length);

    const pluralFirst = catalog.search('Cloud Accounts').map((result) => result.id);
    expect(pluralFirst.slice(0, plural.length).sort()).toEqual(plural.sort());
  });

  it('counts each word of a query once', () => {
    /** Whether the input names a technique exactly (ambiguous names do too). */
    const names = (input: string) => {
      try {
        catalog.technique(input);
        return true;
      } catch (error) {
        return (error as AttackLookupError).code !== 'not_found';
      }
    };
    fc.assert(
      fc.property(
        fc.constantFrom(...catalog.techniques.filter((technique) => technique.d3Name.length < 80)),
        fc.nat(),
        fc.integer({ min: 2, max: 4 }),
        ({ d3Name }, at, times) => {
          const cut = at % d3Name.length;
          const typo = d3Name.slice(0, cut) + d3Name.slice(cut + 1);
          // A query that names a technique exactly ranks it first; repeated, it names none.
          fc.pre(!names(typo));
          const repeated = Array.from({ length: times }, () => typo).join(' ');
          // Cutting a longer query could leave part of a word, a new word.
          fc.pre(repeated.length <= maxQueryLength);
          expect(catalog.search(repeated)).toEqual(catalog.search(typo));
        },
      ),
      { numRuns: 60 },
    );
  });

  it(`searches the first ${maxQueryTerms} distinct words of a query and ignores the rest`, () => {
    const powershell = catalog.technique('Command and Scripting Interpreter: PowerShell').id;
    // Words that match nothing in the catalog, even with edits.
    const noise = (count: number) =>
      Array.from({ length: count }, (_, index) => `qq${String.fromCharCode(97 + index)}`);
    const found = (query: string) =>
      catalog.search(query).some((result) => result.id === powershell);
    expect(found([...noise(maxQueryTerms - 1), 'powershell'].join(' '))).toBe(true);
    expect(found([...noise(maxQueryTerms), 'powershell'].join(' '))).toBe(false);
    expect(found(`${'qqa '.repeat(30)}powershell`)).toBe(true);
  });

  it(`expands at most ${maxFuzzyTerms} misspelt words of a query by edit distance`, () => {
    const powershell = catalog.technique('Command and Scripting Interpreter: PowerShell').id;
    // Unknown words of four letters or more, each a candidate for edits, none near a real word.
    const unknown = ['qzxv', 'wqzx', 'zvqw', 'xqzw'];
    const found = (words: string[]) =>
      catalog.search([...words, 'powrshell'].join(' ')).some((result) => result.id === powershell);
    expect(found(unknown.slice(0, maxFuzzyTerms - 1))).toBe(true);
    expect(found(unknown.slice(0, maxFuzzyTerms))).toBe(false);
    // Known words and prefixes of known words are taken as written and use none of the budget.
    expect(found(['cloud', 'accounts', 'valid', 'powe'])).toBe(true);
  });

  it('ranks by descending score, the best scoring 1, within the limit', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.integer({ min: 0, max: 15 }), (text, limit) => {
        const results = catalog.search(text, { limit });
        expect(results.length).toBeLessThanOrEqual(limit);
        results.forEach((result, index) => {
          expect(result.score).toBeGreaterThan(0);
          expect(result.score).toBeLessThanOrEqual(1);
          if (index === 0) expect(result.score).toBe(1);
          else expect(result.score).toBeLessThanOrEqual(results[index - 1]?.score ?? 1);
        });
      }),
      { numRuns: 100 },
    );
  });
});
