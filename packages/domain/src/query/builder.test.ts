import { searchConditionWarnings } from './warnings.js';
import { describe, expect, it } from 'vitest';
import { searchConditions } from './builder.js';
import { QueryError } from './errors.js';
import { thrownBy } from '../test-support/thrown-by.js';

/** The QueryError a call throws (fails the test if it throws nothing or something else). */
const errorOf = (call: () => unknown): QueryError => thrownBy(QueryError, call);

/** An instant in epoch milliseconds, for constraints where only the kind of bound matters. */
const SEPT_1 = Date.UTC(2023, 8, 1);

describe('searchConditions', () => {
  it("builds the vendor sample's conditions in D3's exact JSON", () => {
    const json = searchConditions()
      .where('Number')
      .equals('20230413-123')
      .where('CustomField1')
      .equals('Sample Custom Field 1')
      .where('Title')
      .matches(/^Incident Title/)
      .where('Severity')
      .in(['Critical', 'High'])
      .where('CreatedUtcTime')
      .after('2023-09-01T00:00:00Z')
      .where('CreatedUtcTime')
      .before(new Date(Date.UTC(2023, 8, 21)))
      .toJSON();
    expect(JSON.stringify(json)).toBe(
      '{"Number":"20230413-123","CustomField1":"Sample Custom Field 1","Title":{"$regex":"^Incident Title"},' +
        '"Severity":{"$in":["Critical","High"]},' +
        '"CreatedUtcTime":{"$gt":{"$date":"2023-09-01T00:00:00Z"},"$lt":{"$date":"2023-09-21T00:00:00Z"}}}',
    );
  });

  it('turns every date form into UTC at whole seconds', () => {
    const utc = Date.UTC(2024, 4, 15, 14, 32, 0);
    for (const input of [
      new Date(utc + 999),
      utc + 500,
      '2024-05-15T14:32:00Z',
      '2024-05-15T16:32:00.750+02:00',
      '2024-05-15T09:32:00-05:00',
    ]) {
      expect(searchConditions().where('CreatedUtcTime').onOrAfter(input).toJSON()).toEqual({
        CreatedUtcTime: { $gte: { $date: '2024-05-15T14:32:00Z' } },
      });
    }
  });

  it('reads a bare date as midnight UTC', () => {
    expect(searchConditions().where('CreatedUtcTime').onOrBefore('2024-05-15').toJSON()).toEqual({
      CreatedUtcTime: { $lte: { $date: '2024-05-15T00:00:00Z' } },
    });
  });

  it('makes between inclusive at both ends', () => {
    expect(
      searchConditions().where('CreatedUtcTime').between('2023-09-01', '2023-09-21').toJSON(),
    ).toEqual({
      CreatedUtcTime: {
        $gte: { $date: '2023-09-01T00:00:00Z' },
        $lte: { $date: '2023-09-21T00:00:00Z' },
      },
    });
  });

  it('merges date bounds on one field into one object, lower bound first', () => {
    const json = searchConditions()
      .where('CreatedUtcTime')
      .onOrBefore('2023-09-21T00:00:00Z')
      .where('Title')
      .equals('x')
      .where('CreatedUtcTime')
      .after('2023-09-01T00:00:00Z')
      .toJSON();
    expect(JSON.stringify(json)).toBe(
      '{"CreatedUtcTime":{"$gt":{"$date":"2023-09-01T00:00:00Z"},"$lte":{"$date":"2023-09-21T00:00:00Z"}},"Title":"x"}',
    );
  });

  it('sends a RegExp source, with i as $options', () => {
    expect(
      searchConditions()
        .where('Title')
        .matches(/^Phish\.(com|net)$/i)
        .toJSON(),
    ).toEqual({
      Title: { $regex: '^Phish\\.(com|net)$', $options: 'i' },
    });
  });

  it('keeps equals values plain, metacharacters and all', () => {
    expect(searchConditions().where('Status').equals('Open|Closed (.*)').toJSON()).toEqual({
      Status: 'Open|Closed (.*)',
    });
    expect(searchConditions().where('CustomField7').equals(42).toJSON()).toEqual({
      CustomField7: 42,
    });
  });

  it('takes any field name through whereAny', () => {
    expect(searchConditions().whereAny('Owner.Name').equals('alice').toJSON()).toEqual({
      'Owner.Name': 'alice',
    });
  });

  it('lists the constrained fields', () => {
    expect(searchConditions().where('Title').equals('a').where('Type').equals('b').fields).toEqual([
      'Title',
      'Type',
    ]);
  });

  it('keeps its conditions out of callers’ reach: toJSON is frozen, and new when it changes', () => {
    const builder = searchConditions().where('Severity').in(['High']);
    const first = builder.toJSON();
    expect(() => (first['Severity'] as { $in: string[] }).$in.push('Low')).toThrow(TypeError);
    expect(builder.toJSON()).toEqual({ Severity: { $in: ['High'] } });
    expect(builder.toJSON()).toBe(first);
    builder.where('Title').equals('a');
    expect(builder.toJSON()).not.toBe(first);
    expect(first).toEqual({ Severity: { $in: ['High'] } });
  });

  it('refuses to produce empty conditions', () => {
    expect(errorOf(() => searchConditions().toJSON()).code).toBe('empty');
  });

  it.each([
    ['a time without an offset', '2023-09-01T00:00:00'],
    ['a word', 'yesterday'],
    ['an invalid Date', new Date(Number.NaN)],
    ['NaN', Number.NaN],
    ['a year past 9999', Date.UTC(10000, 0, 1)],
  ])('rejects %s as a date, naming the field', (_, input) => {
    const error = errorOf(() => searchConditions().where('CreatedUtcTime').after(input));
    expect(error.code).toBe('invalid_date');
    expect(error.field).toBe('CreatedUtcTime');
    expect(error.path).toBe('/CreatedUtcTime/$gt');
    expect(error.message).toContain('CreatedUtcTime');
  });

  it('refuses epoch seconds passed where milliseconds are expected, saying so', () => {
    const seconds = 1_693_526_400; // 2023-09-01 in epoch seconds: 1970-01-20 read as milliseconds
    for (const build of [
      () => searchConditions().where('CreatedUtcTime').after(seconds),
      () =>
        searchConditions()
          .where('CreatedUtcTime')
          .between(seconds, seconds * 1000),
    ]) {
      const error = errorOf(build);
      expect(error.code).toBe('invalid_date');
      expect(error.message).toContain('milliseconds expected');
    }
    expect(
      searchConditions()
        .where('CreatedUtcTime')
        .after(seconds * 1000)
        .toJSON(),
    ).toEqual({
      CreatedUtcTime: { $gt: { $date: '2023-09-01T00:00:00Z' } },
    });
  });

  it('still takes dates before 2000 as a Date or an ISO string', () => {
    expect(
      searchConditions()
        .where('CreatedUtcTime')
        .after(new Date(Date.UTC(1999, 0, 1)))
        .toJSON(),
    ).toEqual({ CreatedUtcTime: { $gt: { $date: '1999-01-01T00:00:00Z' } } });
  });

  it.each([String.raw`\p{L}+`, new RegExp(String.raw`\p{Lu}`), String.raw`^\A`, String.raw`x\z`])(
    'sends %s, whose escaped letter JavaScript and PCRE read differently, with a warning',
    (pattern) => {
      const json = searchConditions().where('Title').matches(pattern).toJSON();
      expect(searchConditionWarnings(json)).toEqual([
        expect.objectContaining({ code: 'regex-dialect', path: '/Title/$regex' }),
      ]);
    },
  );

  it("writes on() as the vendor's plain $date, alone on its field", () => {
    expect(
      searchConditions().where('CreatedUtcTime').on(new Date('2023-09-05T08:30:00.900Z')).toJSON(),
    ).toEqual({ CreatedUtcTime: { $date: '2023-09-05T08:30:00Z' } });
    const error = errorOf(() =>
      searchConditions()
        .where('CreatedUtcTime')
        .on('2023-09-05T08:30:00Z')
        .where('CreatedUtcTime')
        .after('2023-09-01T00:00:00Z'),
    );
    expect(error.code).toBe('conflicting_constraints');
    expect(errorOf(() => searchConditions().where('CreatedUtcTime').on('yesterday')).path).toBe(
      '/CreatedUtcTime/$date',
    );
  });

  it('marks the extension methods: their output warns, the vendor forms do not', () => {
    const vendor = searchConditions()
      .where('CreatedUtcTime')
      .after('2023-09-01T00:00:00Z')
      .where('CreatedUtcTime')
      .before('2023-09-21T00:00:00Z')
      .where('Title')
      .matches(/^Incident/)
      .toJSON();
    expect(searchConditionWarnings(vendor)).toEqual([]);
    const extended = searchConditions()
      .where('CreatedUtcTime')
      .between('2023-09-01T00:00:00Z', '2023-09-21T00:00:00Z')
      .where('Title')
      .matches(/^incident/i)
      .toJSON();
    expect(searchConditionWarnings(extended).map((warning) => warning.path)).toEqual([
      '/CreatedUtcTime/$gte',
      '/CreatedUtcTime/$lte',
      '/Title/$options',
    ]);
  });

  it.each([/x/g, /x/m, /x/s, /x/u, /x/y, /x/gi])('rejects the flags of %s', (pattern) => {
    const error = errorOf(() => searchConditions().where('Title').matches(pattern));
    expect(error.code).toBe('invalid_regex');
    expect(error.field).toBe('Title');
  });

  it('rejects a pattern string that does not compile', () => {
    expect(errorOf(() => searchConditions().where('Title').matches('(')).code).toBe(
      'invalid_regex',
    );
  });

  it.each([
    [
      'equals after in',
      () => searchConditions().where('Title').in(['a']).where('Title').equals('b'),
    ],
    [
      'in after equals',
      () => searchConditions().where('Title').equals('b').where('Title').in(['a']),
    ],
    ['two in', () => searchConditions().where('Title').in(['a']).where('Title').in(['b'])],
    [
      'in and matches',
      () => searchConditions().where('Title').in(['a']).where('Title').matches(/x/i),
    ],
    [
      'matches and a date',
      () => searchConditions().where('Title').matches('a').where('Title').after(SEPT_1),
    ],
    [
      'a date and in',
      () => searchConditions().where('Title').before(SEPT_1).where('Title').in(['a']),
    ],
    [
      'two regexes',
      () => searchConditions().where('Title').matches('a').where('Title').matches('b'),
    ],
    [
      'two lower bounds',
      () =>
        searchConditions()
          .where('CreatedUtcTime')
          .after(SEPT_1)
          .where('CreatedUtcTime')
          .onOrAfter(SEPT_1 + 1000),
    ],
    [
      'an empty range',
      () =>
        searchConditions()
          .where('CreatedUtcTime')
          .after('2023-09-02')
          .where('CreatedUtcTime')
          .before('2023-09-01'),
    ],
    [
      'an open range of zero width',
      () =>
        searchConditions()
          .where('CreatedUtcTime')
          .after(SEPT_1)
          .where('CreatedUtcTime')
          .onOrBefore(SEPT_1),
    ],
    [
      'between backwards',
      () => searchConditions().where('CreatedUtcTime').between('2023-09-02', '2023-09-01'),
    ],
  ])('rejects %s on one field', (_, build) => {
    expect(errorOf(build).code).toBe('conflicting_constraints');
  });

  it('leaves the builder as it was when a constraint is rejected', () => {
    const builder = searchConditions().where('CreatedUtcTime').onOrBefore('2023-09-01');
    expect(() => builder.where('CreatedUtcTime').between('2023-08-01', '2023-08-02')).toThrow(
      QueryError,
    );
    expect(builder.toJSON()).toEqual({
      CreatedUtcTime: { $lte: { $date: '2023-09-01T00:00:00Z' } },
    });
  });

  it('takes in with an empty array, which matches nothing, as the parser and the contract do', () => {
    const json = searchConditions().where('Severity').in([]).toJSON();
    expect(json).toEqual({ Severity: { $in: [] } });
    expect(searchConditionWarnings(json)[0]?.code).toBe('empty-in');
  });

  it.each([
    ['an object inside', ['a', {}]],
    ['Infinity inside', [Number.POSITIVE_INFINITY]],
  ])('rejects in with %s', (_, values) => {
    const error = errorOf(() =>
      searchConditions()
        .where('Severity')
        .in(values as string[]),
    );
    expect(error.code).toBe('invalid_value');
    expect(error.path).toMatch(/^\/Severity\/\$in/);
  });

  it('rejects equals with something other than a string or a number', () => {
    expect(
      errorOf(() =>
        searchConditions()
          .where('Title')
          .equals(true as unknown as string),
      ).code,
    ).toBe('invalid_value');
  });

  it.each(['', '$where', '__proto__', 'constructor', 'prototype'])(
    'rejects the field name %j',
    (field) => {
      expect(errorOf(() => searchConditions().whereAny(field)).code).toBe('invalid_field');
    },
  );
});
