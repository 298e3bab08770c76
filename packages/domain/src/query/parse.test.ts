import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtConditions } from '../test-support/search-conditions-arbitrary.js';
import { thrownBy } from '../test-support/thrown-by.js';
import { searchConditions } from './builder.js';
import { QueryError } from './errors.js';
import { parseSearchConditions } from './parse.js';

/** The QueryError a call throws (fails the test if it throws nothing or something else). */
const errorOf = (call: () => unknown): QueryError => thrownBy(QueryError, call);

describe('parseSearchConditions', () => {
  it('accepts a JSON string or an object and returns a copy', () => {
    const input = { Severity: { $in: ['High'] } };
    const parsed = parseSearchConditions(input);
    expect(parsed).toEqual(input);
    expect(parsed).not.toBe(input);
    expect(parsed['Severity']).not.toBe(input.Severity);
    expect(parseSearchConditions(JSON.stringify(input))).toEqual(input);
  });

  it('round-trips whatever the builder makes', () => {
    fc.assert(
      fc.property(builtConditions, (builder) => {
        const json = builder.toJSON();
        const text = JSON.stringify(json);
        return (
          JSON.stringify(parseSearchConditions(json)) === text &&
          JSON.stringify(parseSearchConditions(text)) === text
        );
      }),
      { numRuns: 200 },
    );
  });

  it('accepts numeric bounds and the m and s flags, which the contract allows', () => {
    expect(parseSearchConditions('{"CustomField1": {"$gte": 5, "$lt": 10.5}}')).toEqual({
      CustomField1: { $gte: 5, $lt: 10.5 },
    });
    expect(parseSearchConditions('{"Title": {"$regex": "^a.b$", "$options": "ims"}}')).toEqual({
      Title: { $regex: '^a.b$', $options: 'ims' },
    });
  });

  it('keeps the keys in the order given', () => {
    const text =
      '{"b":{"$lt":{"$date":"2023-01-01T00:00:00Z"},"$gt":{"$date":"2022-01-01T00:00:00Z"}},"a":1}';
    expect(JSON.stringify(parseSearchConditions(text))).toBe(text);
  });

  it.each([
    [
      '{"CreatedUtcTime": {"$gt": {"$date": "2023-09-01"}}}',
      'invalid_date',
      '/CreatedUtcTime/$gt/$date',
    ],
    [
      '{"CreatedUtcTime": {"$gt": {"$date": "2023-02-29T00:00:00Z"}}}',
      'invalid_date',
      '/CreatedUtcTime/$gt/$date',
    ],
    ['{"CreatedUtcTime": {"$gt": "2023-09-01T00:00:00Z"}}', 'invalid_date', '/CreatedUtcTime/$gt'],
    [
      '{"CreatedUtcTime": {"$gt": {"$date": "2023-09-01T00:00:00Z", "x": 1}}}',
      'invalid_date',
      '/CreatedUtcTime/$gt/x',
    ],
    [
      '{"CreatedUtcTime": {"$gt": {"$date": 1693526400000}}}',
      'invalid_date',
      '/CreatedUtcTime/$gt/$date',
    ],
    ['{"Title": {"$regex": "("}}', 'invalid_regex', '/Title/$regex'],
    ['{"Title": {"$regex": 5}}', 'invalid_regex', '/Title/$regex'],
    ['{"Title": {"$regex": "a", "$options": "g"}}', 'invalid_regex', '/Title/$options'],
    ['{"Title": {"$regex": "a", "$options": "ii"}}', 'invalid_regex', '/Title/$options'],
    ['{"Title": {"$regex": "a", "$in": ["a"]}}', 'conflicting_constraints', '/Title/$in'],
    ['{"Title": {"$in": ["a"], "$gt": 1}}', 'conflicting_constraints', '/Title/$gt'],
    [
      '{"CreatedUtcTime": {"$gt": {"$date": "2023-09-01T00:00:00Z"}, "$regex": "a"}}',
      'conflicting_constraints',
      '/CreatedUtcTime/$regex',
    ],
    ['{"Title": {"$options": "i"}}', 'invalid_regex', '/Title/$options'],
    ['{"Title": {"$where": "sleep(1000)"}}', 'unknown_operator', '/Title/$where'],
    ['{"Title": {"$ne": "a"}}', 'unknown_operator', '/Title/$ne'],
    ['{"$or": [{"Title": "a"}]}', 'unknown_operator', '/$or'],
    ['{"Severity": {"$in": []}}', 'invalid_value', '/Severity/$in'],
    ['{"Severity": {"$in": "High"}}', 'invalid_value', '/Severity/$in'],
    ['{"Severity": {"$in": ["High", null]}}', 'invalid_value', '/Severity/$in/1'],
    ['{"Severity": true}', 'invalid_value', '/Severity'],
    ['{"Severity": null}', 'invalid_value', '/Severity'],
    ['{"Severity": ["High"]}', 'invalid_value', '/Severity'],
    ['{"Severity": {}}', 'invalid_value', '/Severity'],
    ['{"a/b~c": true}', 'invalid_value', '/a~1b~0c'],
    ['{"__proto__": "x"}', 'invalid_field', '/__proto__'],
    ['{"": "x"}', 'invalid_field', '/'],
    ['{}', 'empty', ''],
    ['[]', 'invalid_value', ''],
    ['"Title"', 'invalid_value', ''],
    ['{"Title": ', 'invalid_json', ''],
  ])('rejects %s with %s at %s', (text, code, path) => {
    const error = errorOf(() => parseSearchConditions(text));
    expect(error.code).toBe(code);
    expect(error.path).toBe(path);
  });

  it('names the offending field in the error', () => {
    const error = errorOf(() =>
      parseSearchConditions({ CreatedUtcTime: { $lt: { $date: 'soon' } } }),
    );
    expect(error.field).toBe('CreatedUtcTime');
    expect(error.message).toContain('/CreatedUtcTime/$lt/$date');
  });

  it('rejects unsafe patterns only when asked to', () => {
    const text = '{"Title": {"$regex": "(a+)+$"}}';
    expect(() => parseSearchConditions(text)).not.toThrow();
    const error = errorOf(() => parseSearchConditions(text, { rejectUnsafeRegex: true }));
    expect(error.code).toBe('unsafe_regex');
    expect(error.path).toBe('/Title/$regex');
    expect(
      errorOf(() =>
        parseSearchConditions('{"Title": {"$regex": "abc"}}', {
          rejectUnsafeRegex: { maxLength: 2 },
        }),
      ).code,
    ).toBe('unsafe_regex');
  });

  it.each([
    `${'.{0,100}'.repeat(4)}X`,
    `${'.{0,100}'.repeat(10)}X`,
    '\\d{1,100}'.repeat(5),
    '\\d+\\d+x',
  ])('refuses the bounded-quantifier pattern %s as unsafe when asked to', (pattern) => {
    const conditions = { Title: { $regex: pattern } };
    expect(() => parseSearchConditions(conditions)).not.toThrow();
    expect(
      errorOf(() => parseSearchConditions(conditions, { rejectUnsafeRegex: true })),
    ).toMatchObject({ code: 'unsafe_regex', path: '/Title/$regex' });
  });

  it('judges a pattern with the $options it runs with', () => {
    const conditions = { Title: { $regex: '^\\d+\\d+x', $options: 'm' } };
    expect(errorOf(() => parseSearchConditions(conditions, { rejectUnsafeRegex: true })).code).toBe(
      'unsafe_regex',
    );
    expect(
      parseSearchConditions({ Title: { $regex: '^\\d+\\d+x' } }, { rejectUnsafeRegex: true }),
    ).toEqual({ Title: { $regex: '^\\d+\\d+x' } });
  });

  it.each(['Title(?=:)', '(?<!Old )Incident', 'a{2000}'])(
    'refuses %s, which the linear-time matcher cannot run, when asked to reject unsafe patterns',
    (pattern) => {
      const conditions = { Title: { $regex: pattern } };
      expect(() => parseSearchConditions(conditions)).not.toThrow();
      expect(
        errorOf(() => parseSearchConditions(conditions, { rejectUnsafeRegex: true })),
      ).toMatchObject({ code: 'unsupported_regex', path: '/Title/$regex' });
    },
  );

  it.each([String.raw`\p{L}+`, String.raw`^\A`, String.raw`end\z`, String.raw`\x{41}`])(
    'always refuses %s, whose escaped letter JavaScript and PCRE read differently',
    (pattern) => {
      const error = errorOf(() => parseSearchConditions({ Title: { $regex: pattern } }));
      expect(error).toMatchObject({ code: 'invalid_regex', path: '/Title/$regex' });
      expect(error.message).toContain(pattern.match(/\\[A-Za-z]/)?.[0] ?? '');
    },
  );

  it('never throws anything but QueryError on arbitrary JSON, and never pollutes prototypes', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const operatorKey = fc.constantFrom(
      '$regex',
      '$options',
      '$in',
      '$gt',
      '$gte',
      '$lt',
      '$lte',
      '$date',
      '$where',
      '__proto__',
    );
    const value = fc.letrec((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.jsonValue({ maxDepth: 1 }),
        fc.dictionary(fc.oneof(operatorKey, fc.string({ maxLength: 5 })), tie('node'), {
          maxKeys: 3,
        }),
      ),
    })).node;
    const input = fc.oneof(
      fc.dictionary(
        fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor')),
        value,
        { maxKeys: 4 },
      ),
      fc.jsonValue({ maxDepth: 3 }),
    );
    fc.assert(
      fc.property(input, fc.boolean(), (conditions, asText) => {
        try {
          parseSearchConditions(asText ? JSON.stringify(conditions) : conditions);
          return true;
        } catch (error) {
          return error instanceof QueryError;
        }
      }),
      { numRuns: 400 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
  });

  it('reads what the builder writes for a plain equality with metacharacters as a plain string', () => {
    const json = searchConditions().where('Status').equals('Open|Closed').toJSON();
    expect(parseSearchConditions(json)).toEqual({ Status: 'Open|Closed' });
  });
});
