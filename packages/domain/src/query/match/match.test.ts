import fc from 'fast-check';
import sift from 'sift';
import { describe, expect, it } from 'vitest';
import { searchConditions } from '../builder.js';
import { QueryError } from '../errors.js';
import { parseSearchConditions } from '../parse.js';
import { builtConditions } from '../../test-support/search-conditions-arbitrary.js';
import { thrownBy } from '../../test-support/thrown-by.js';
import {
  compileIncidentMatcher,
  matchesIncident,
  toSiftQuery,
  type CompileIncidentMatcherOptions,
} from './match.js';
import type { SearchConditions } from '../types.js';

const incident = {
  Number: '20230413-123',
  Title: 'Incident Title: phishing',
  Severity: 'High',
  Status: 'Open',
  Tags: ['phishing', 'email'],
  CustomField1: 7,
  CreatedUtcTime: '2023-09-10T08:00:00Z',
  Owner: { Name: 'alice' },
};

describe('matchesIncident', () => {
  it('matches plain values by strict equality', () => {
    expect(matchesIncident({ Severity: 'High' }, incident)).toBe(true);
    expect(matchesIncident({ Severity: 'high' }, incident)).toBe(false);
    expect(matchesIncident({ CustomField1: 7 }, incident)).toBe(true);
    expect(matchesIncident({ CustomField1: '7' }, incident)).toBe(false);
  });

  it('does not read a plain value with metacharacters as a pattern', () => {
    expect(matchesIncident({ Status: 'Open|Closed' }, incident)).toBe(false);
    expect(matchesIncident({ Status: 'Open|Closed' }, { Status: 'Open|Closed' })).toBe(true);
  });

  it('matches a value against any element of an array field, as MongoDB does', () => {
    expect(matchesIncident({ Tags: 'email' }, incident)).toBe(true);
    expect(matchesIncident({ Tags: { $in: ['malware', 'phishing'] } }, incident)).toBe(true);
  });

  it('applies $regex to strings, with $options i', () => {
    expect(matchesIncident({ Title: { $regex: '^Incident Title' } }, incident)).toBe(true);
    expect(matchesIncident({ Title: { $regex: '^incident title' } }, incident)).toBe(false);
    expect(matchesIncident({ Title: { $regex: '^incident title', $options: 'i' } }, incident)).toBe(
      true,
    );
    expect(matchesIncident({ CustomField1: { $regex: '7' } }, incident)).toBe(false);
  });

  it('follows dotted field names into nested objects', () => {
    expect(
      matchesIncident(searchConditions().whereAny('Owner.Name').equals('alice'), incident),
    ).toBe(true);
  });

  it('requires every field to match', () => {
    expect(matchesIncident({ Severity: 'High', Status: 'Closed' }, incident)).toBe(false);
  });

  it('does not match an incident that lacks the field', () => {
    expect(matchesIncident({ Category: 'Malware' }, incident)).toBe(false);
  });

  it('compares $date as instants against ISO strings with any offset and against Dates', () => {
    const conditions = searchConditions()
      .where('CreatedUtcTime')
      .after('2023-09-01T00:00:00Z')
      .where('CreatedUtcTime')
      .before('2023-09-21T00:00:00Z');
    for (const created of [
      '2023-09-10T08:00:00Z',
      '2023-09-10T10:00:00+02:00',
      '2023-09-01T00:00:01Z',
      '2023-09-10T08:00:00',
      '2023-09-20T23:59:59.999Z',
      new Date('2023-09-10T08:00:00Z'),
    ]) {
      expect(matchesIncident(conditions, { CreatedUtcTime: created })).toBe(true);
    }
    for (const created of [
      '2023-09-01T00:00:00Z',
      '2023-09-01T01:00:00+02:00',
      '2023-09-21T00:00:00Z',
      new Date('2023-10-01T00:00:00Z'),
      new Date(Number.NaN),
      'not a date',
      Date.UTC(2023, 8, 10),
      null,
    ]) {
      expect(matchesIncident(conditions, { CreatedUtcTime: created })).toBe(false);
    }
  });

  it("matches the vendor's plain $date as that instant, whatever offset the incident writes", () => {
    const on = parseSearchConditions({ CreatedUtcTime: { $date: '2023-09-05T08:30:00Z' } });
    expect(matchesIncident(on, { CreatedUtcTime: '2023-09-05T08:30:00Z' })).toBe(true);
    expect(matchesIncident(on, { CreatedUtcTime: '2023-09-05T10:30:00+02:00' })).toBe(true);
    expect(matchesIncident(on, { CreatedUtcTime: new Date('2023-09-05T08:30:00Z') })).toBe(true);
    expect(matchesIncident(on, { CreatedUtcTime: '2023-09-05T08:30:01Z' })).toBe(false);
    expect(matchesIncident(on, { CreatedUtcTime: 'not a date' })).toBe(false);
  });

  it('matches no incident with an empty $in', () => {
    const none = parseSearchConditions({ Severity: { $in: [] } });
    for (const Severity of ['High', '', 0]) expect(matchesIncident(none, { Severity })).toBe(false);
  });

  it('treats $gte and $lte bounds as inclusive', () => {
    const conditions = searchConditions()
      .where('CreatedUtcTime')
      .between('2023-09-01', '2023-09-02');
    expect(matchesIncident(conditions, { CreatedUtcTime: '2023-09-01T00:00:00Z' })).toBe(true);
    expect(matchesIncident(conditions, { CreatedUtcTime: '2023-09-02T00:00:00Z' })).toBe(true);
    expect(matchesIncident(conditions, { CreatedUtcTime: '2023-09-02T00:00:01Z' })).toBe(false);
  });

  it('agrees with raw sift wherever the incident holds Dates', () => {
    const instants = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
    fc.assert(
      fc.property(instants, instants, instants, (low, high, created) => {
        const conditions: SearchConditions = {
          CreatedUtcTime: {
            $gte: {
              $date: `${new Date(Math.floor(low / 1000) * 1000).toISOString().slice(0, 19)}Z`,
            },
            $lt: {
              $date: `${new Date(Math.floor(high / 1000) * 1000).toISOString().slice(0, 19)}Z`,
            },
          },
        };
        const record = { CreatedUtcTime: new Date(created) };
        return (
          matchesIncident(conditions, record) === sift.default(toSiftQuery(conditions))(record)
        );
      }),
      { numRuns: 200 },
    );
  });

  it('compares numeric bounds with numbers only', () => {
    expect(matchesIncident({ CustomField1: { $gt: 5, $lte: 7 } }, incident)).toBe(true);
    expect(matchesIncident({ CustomField1: { $gt: 7 } }, incident)).toBe(false);
    expect(matchesIncident({ Number: { $gt: 5 } }, { Number: '20230413-123' })).toBe(false);
  });

  it('follows a builder as it changes', () => {
    const builder = searchConditions().where('Severity').equals('High');
    expect(matchesIncident(builder, incident)).toBe(true);
    builder.where('Status').equals('Closed');
    expect(matchesIncident(builder, incident)).toBe(false);
  });

  it('validates plain conditions before matching', () => {
    expect(() =>
      matchesIncident({ Title: { $where: 'true' } } as unknown as SearchConditions, incident),
    ).toThrow(QueryError);
    expect(() => matchesIncident({}, incident)).toThrow(QueryError);
  });

  const long = 'a'.repeat(20_000);
  it.each([
    [`${'.{0,100}'.repeat(10)}X`, `${long}!`, false],
    [`${'.{0,100}'.repeat(10)}X`, `${long}X`, true],
    ['(a+)+$', `${long}!`, false],
    ['(a+)+$', long, true],
    ['(a|a)*b', long, false],
    ['(a|a)*b', `${long}b`, true],
    ['^(\\w+\\s?)*$', `${long}!`, false],
  ])(
    'answers the catastrophic $regex %s on a 20,000-character title (linear-time engine)',
    (pattern, title, expected) => {
      // A backtracking engine takes from seconds to far longer on these; RE2 is linear in the title.
      expect(matchesIncident({ Title: { $regex: pattern } }, { Title: title })).toBe(expected);
    },
  );

  it('applies $regex with $options i, m and s as JavaScript reads them', () => {
    const record = { Title: 'Phishing\nInvoice  Payment' };
    expect(matchesIncident({ Title: { $regex: '^invoice', $options: 'im' } }, record)).toBe(true);
    expect(matchesIncident({ Title: { $regex: '^invoice', $options: 'i' } }, record)).toBe(false);
    expect(matchesIncident({ Title: { $regex: 'phishing.invoice', $options: 'is' } }, record)).toBe(
      true,
    );
    expect(matchesIncident({ Title: { $regex: 'Invoice\\s+Payment' } }, record)).toBe(true);
  });

  it('applies $regex to any element of an array field', () => {
    expect(matchesIncident({ Tags: { $regex: '^phish' } }, incident)).toBe(true);
    expect(matchesIncident({ Tags: { $regex: '^malware' } }, incident)).toBe(false);
  });

  it.each([
    ['(a)\\1', 'backreference'],
    ['Title(?=:)', 'lookahead'],
    ['(?<!Old )Incident', 'lookbehind'],
  ])('refuses %s with a QueryError naming the field, as RE2 has no %s', (pattern, what) => {
    let caught: unknown;
    try {
      matchesIncident({ Title: { $regex: pattern } }, incident);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(QueryError);
    expect(caught).toMatchObject({ code: 'unsupported_regex', path: '/Title/$regex' });
    expect((caught as QueryError).message).toContain(what);
  });

  it('matches a plain conditions object as it is now, even when mutated after a first use', () => {
    const conditions: SearchConditions = { Severity: 'High' };
    expect(matchesIncident(conditions, incident)).toBe(true);
    conditions['Severity'] = 'Low';
    expect(matchesIncident(conditions, incident)).toBe(false);
    conditions['Severity'] = { $in: ['Low', 'High'] };
    expect(matchesIncident(conditions, incident)).toBe(true);
    (conditions['Severity'] as { $in: string[] }).$in.pop();
    expect(matchesIncident(conditions, incident)).toBe(false);
  });

  it('gives fresh but equal conditions the same answer, and still rejects what JSON hides', () => {
    for (let i = 0; i < 3; i += 1) {
      expect(matchesIncident({ Severity: 'High', Status: 'Open' }, incident)).toBe(true);
    }
    // JSON.stringify would drop the undefined and turn NaN into null: neither may hit the cache.
    for (const hidden of [undefined, Number.NaN, new Date(0)]) {
      const conditions = { Severity: 'High', Status: 'Open', Extra: hidden };
      expect(() => matchesIncident(conditions as unknown as SearchConditions, incident)).toThrow(
        QueryError,
      );
    }
  });

  it('keeps answering correctly when more conditions are used than the cache holds', () => {
    for (let round = 0; round < 2; round += 1) {
      for (let n = 0; n < 100; n += 1) {
        expect(matchesIncident({ CustomField1: n }, incident)).toBe(n === 7);
      }
    }
  });

  it('returns false for incidents that are not objects', () => {
    for (const value of [null, undefined, 'High', 42]) {
      expect(matchesIncident({ Severity: 'High' }, value)).toBe(false);
    }
  });
});

describe('compileIncidentMatcher', () => {
  it('answers alike for a builder, its checked JSON, and that JSON parsed back from text', () => {
    // Incidents made from the conditions' own values, so that some of them match.
    const incidentFor = (conditions: SearchConditions, pick: number): Record<string, unknown> =>
      Object.fromEntries(
        Object.entries(conditions).map(([field, condition]) => {
          if (typeof condition !== 'object') return [field, pick % 3 === 0 ? 'other' : condition];
          if (condition.$in !== undefined)
            return [field, condition.$in[pick % condition.$in.length]];
          if (condition.$regex !== undefined)
            return [field, condition.$regex.replace(/^\^|\\/g, '')];
          return [field, new Date(Date.UTC(2000, 0, 1) + pick * 86_400_000 * 400).toISOString()];
        }),
      );
    fc.assert(
      fc.property(builtConditions, fc.nat({ max: 40 }), (builder, pick) => {
        const json = builder.toJSON();
        const incident = incidentFor(json, pick);
        const expected = compileIncidentMatcher(builder)(incident);
        expect(compileIncidentMatcher(json)(incident)).toBe(expected);
        expect(compileIncidentMatcher(parseSearchConditions(JSON.stringify(json)))(incident)).toBe(
          expected,
        );
        expect(matchesIncident(builder, incident)).toBe(expected);
        expect(
          matchesIncident(JSON.parse(JSON.stringify(json)) as SearchConditions, incident),
        ).toBe(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('gives a reusable predicate', () => {
    const isHigh = compileIncidentMatcher(
      searchConditions().where('Severity').in(['Critical', 'High']),
    );
    expect(
      [{ Severity: 'High' }, { Severity: 'Low' }, { Severity: 'Critical' }].filter(isHigh),
    ).toHaveLength(2);
  });
});

describe('compileIncidentMatcher with rejectUnsafeRegex', () => {
  /** The QueryError a call throws (fails the test if it throws nothing or something else). */
  const errorOf = (call: () => unknown): QueryError => thrownBy(QueryError, call);
  /** Conditions checked once, then compiled with the ReDoS guard, as a server does. */
  const guarded = (
    conditions: unknown,
    rejectUnsafeRegex: CompileIncidentMatcherOptions['rejectUnsafeRegex'],
  ) =>
    compileIncidentMatcher(
      parseSearchConditions(conditions),
      rejectUnsafeRegex === undefined ? {} : { rejectUnsafeRegex },
    );

  it('rejects unsafe patterns only when asked to', () => {
    const text = '{"Title": {"$regex": "(a+)+$"}}';
    expect(() => parseSearchConditions(text)).not.toThrow();
    const error = errorOf(() => guarded(text, true));
    expect(error.code).toBe('unsafe_regex');
    expect(error.path).toBe('/Title/$regex');
    expect(errorOf(() => guarded('{"Title": {"$regex": "abc"}}', { maxLength: 2 })).code).toBe(
      'unsafe_regex',
    );
  });

  it.each([
    `${'.{0,100}'.repeat(4)}X`,
    `${'.{0,100}'.repeat(10)}X`,
    '\\d{1,100}'.repeat(5),
    '\\d+\\d+x',
  ])('refuses the bounded-quantifier pattern %s as unsafe when asked to', (pattern) => {
    const conditions = { Title: { $regex: pattern } };
    expect(() => parseSearchConditions(conditions)).not.toThrow();
    expect(errorOf(() => guarded(conditions, true))).toMatchObject({
      code: 'unsafe_regex',
      path: '/Title/$regex',
    });
  });

  it('judges a pattern with the $options it runs with', () => {
    const conditions = { Title: { $regex: '^\\d+\\d+x', $options: 'm' } };
    expect(errorOf(() => guarded(conditions, true)).code).toBe('unsafe_regex');
    expect(guarded({ Title: { $regex: '^\\d+\\d+x' } }, true)({ Title: '12x' })).toBe(true);
  });

  it.each(['Title(?=:)', '(?<!Old )Incident', 'a{2000}'])(
    'refuses %s, which the linear-time matcher cannot run, when asked to reject unsafe patterns',
    (pattern) => {
      const conditions = { Title: { $regex: pattern } };
      expect(() => parseSearchConditions(conditions)).not.toThrow();
      expect(errorOf(() => guarded(conditions, true))).toMatchObject({
        code: 'unsupported_regex',
        path: '/Title/$regex',
      });
    },
  );

  it('compiles checked conditions as they are, and checks anything that only looks checked', () => {
    const checked = parseSearchConditions({ Severity: 'High' });
    expect(compileIncidentMatcher(checked)(incident)).toBe(true);
    const forged = { Title: { $where: 'true' } } as unknown as typeof checked;
    expect(errorOf(() => compileIncidentMatcher(forged)).code).toBe('unknown_operator');
  });
});

describe("compileIncidentMatcher with regexEngine: 'javascript'", () => {
  const javascript = { regexEngine: 'javascript' } as const;
  it.each([
    ['lookbehind', '(?<=Incident )Title', 'Incident Title', 'Title'],
    ['lookahead', 'Incident(?= Title)', 'Incident Title', 'Incident Other'],
    ['a backreference', '^(\\w)\\w*\\1$', 'abca', 'abcd'],
  ])('runs %s as JavaScript does', (_, pattern, matching, other) => {
    const conditions = parseSearchConditions({ Title: { $regex: pattern } });
    const matcher = compileIncidentMatcher(conditions, javascript);
    expect(matcher({ Title: matching })).toBe(new RegExp(pattern).test(matching));
    expect(matcher({ Title: matching })).toBe(true);
    expect(matcher({ Title: other })).toBe(false);
    // The default engine cannot run them.
    expect(() => compileIncidentMatcher(conditions)).toThrow(QueryError);
  });

  it('refuses a pattern only other engines run, saying D3 may', () => {
    const conditions = parseSearchConditions({ Title: { $regex: '(?i)incident' } });
    const error = thrownBy(QueryError, () => compileIncidentMatcher(conditions, javascript));
    expect(error.code).toBe('unsupported_regex');
    expect(error.message).toContain("D3's own engine may");
  });
});
