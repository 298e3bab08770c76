import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtConditions } from '../test-support/search-conditions-arbitrary.js';
import { thrownBy } from '../test-support/thrown-by.js';
import { searchConditions } from './builder.js';
import { QueryError } from './errors.js';
import { searchConditionWarnings } from './warnings.js';
import { parseSearchConditions, type ParseSearchConditionsOptions } from './parse.js';

/** Whether a value and everything inside it is frozen. */
const deeplyFrozen = (value: unknown): boolean =>
  typeof value !== 'object' ||
  value === null ||
  (Object.isFrozen(value) && Object.values(value).every(deeplyFrozen));

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

  it('refuses the rejectUnsafeRegex option rather than checking less than asked', () => {
    const options = { rejectUnsafeRegex: true } as unknown as ParseSearchConditionsOptions;
    expect(() => parseSearchConditions('{"Title": "a"}', options)).toThrow(
      /compileIncidentMatcher/,
    );
  });

  it.each([String.raw`\p{L}+`, String.raw`^\A`, String.raw`end\z`, String.raw`\x{41}`])(
    'sends %s, whose escaped letter JavaScript and PCRE read differently, with a warning',
    (pattern) => {
      const checked = parseSearchConditions({ Title: { $regex: pattern } });
      expect(searchConditionWarnings(checked)).toEqual([
        expect.objectContaining({ code: 'regex-dialect', path: '/Title/$regex' }),
      ]);
      expect(searchConditionWarnings(checked)[0]?.message).toContain(
        pattern.match(/\\[A-Za-z]/)?.[0] ?? '',
      );
    },
  );

  it.each([
    ['(?i)incident', 'inline flags'],
    ['(?i:incident) title', 'scoped inline flags'],
    ['(?>a+)b', 'atomic groups'],
    ['a++b', 'possessive quantifiers'],
  ])(
    'sends %s, which PCRE and .NET take but JavaScript does not, with a warning',
    (pattern, construct) => {
      const checked = parseSearchConditions({ Title: { $regex: pattern } });
      const [warning] = searchConditionWarnings(checked);
      expect(warning).toMatchObject({ code: 'regex-not-javascript', path: '/Title/$regex' });
      expect(warning?.message).toContain(construct);
    },
  );

  it.each(['(unclosed', 'a)b', '[abc', '*a', '(?i)(unclosed', 'a**'])(
    'refuses %s, which no engine compiles',
    (pattern) => {
      const error = errorOf(() => parseSearchConditions({ Title: { $regex: pattern } }));
      expect(error).toMatchObject({ code: 'invalid_regex', path: '/Title/$regex' });
    },
  );

  it("takes the vendor's plain $date, and refuses one that is no real date", () => {
    const conditions = { CreatedUtcTime: { $date: '2023-09-05T08:30:00Z' } };
    expect(parseSearchConditions(JSON.stringify(conditions))).toEqual(conditions);
    expect(searchConditionWarnings(parseSearchConditions(conditions))).toEqual([]);
    const error = errorOf(() =>
      parseSearchConditions({ CreatedUtcTime: { $date: '2023-02-30T08:30:00Z' } }),
    );
    expect(error).toMatchObject({ code: 'invalid_date', path: '/CreatedUtcTime/$date' });
    expect(
      errorOf(() =>
        parseSearchConditions({ CreatedUtcTime: { $date: '2023-09-05T08:30:00Z', $gt: 1 } }),
      ).code,
    ).toBe('conflicting_constraints');
  });

  it('takes an empty $in, which matches nothing, with a warning', () => {
    const checked = parseSearchConditions('{"Severity": {"$in": []}}');
    expect(checked).toEqual({ Severity: { $in: [] } });
    expect(searchConditionWarnings(checked)).toEqual([
      expect.objectContaining({ code: 'empty-in', path: '/Severity/$in' }),
    ]);
  });

  it("warns about each extension operator, and about none of the vendor's forms", () => {
    const vendor = parseSearchConditions({
      Title: { $regex: '^Incident' },
      Severity: { $in: ['High'] },
      CreatedUtcTime: {
        $gt: { $date: '2023-09-01T00:00:00Z' },
        $lt: { $date: '2023-09-21T00:00:00Z' },
      },
    });
    expect(searchConditionWarnings(vendor)).toEqual([]);
    const extended = parseSearchConditions({
      Title: { $regex: '^incident', $options: 'i' },
      CreatedUtcTime: { $gte: { $date: '2023-09-01T00:00:00Z' }, $lte: 5 },
    });
    expect(searchConditionWarnings(extended).map(({ code, path }) => [code, path])).toEqual([
      ['extension-operator', '/Title/$options'],
      ['extension-operator', '/CreatedUtcTime/$gte'],
      ['extension-operator', '/CreatedUtcTime/$lte'],
    ]);
  });

  it("names the vendor's grammar and the extensions when refusing an operator", () => {
    const error = errorOf(() => parseSearchConditions({ Title: { $ne: 'a' } }));
    expect(error.message).toContain('the vendor documents $regex, $in, $date');
    expect(error.message).toContain("this SDK's extensions are $options, $gte and $lte");
    expect(error.message).not.toMatch(/D3 takes/);
  });

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

  it('returns deeply frozen conditions, so what was checked stays as checked', () => {
    const parsed = parseSearchConditions('{"Severity": {"$in": ["High"]}, "Title": "a"}');
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(() => {
      (parsed as Record<string, unknown>)['Title'] = { $where: 'true' };
    }).toThrow(TypeError);
    expect(() => {
      (parsed['Severity'] as { $in: string[] }).$in.push('Low');
    }).toThrow(TypeError);
    expect(parsed).toEqual({ Severity: { $in: ['High'] }, Title: 'a' });
  });

  it('hands checked conditions back as they are, and checks anything that only looks checked', () => {
    const checked = parseSearchConditions({ Title: 'a' });
    expect(parseSearchConditions(checked)).toBe(checked);
    const built = searchConditions().where('Title').equals('a').toJSON();
    expect(parseSearchConditions(built)).toBe(built);
    // Frozen, and cast to the brand, but never checked: parsed like any other object.
    const forged = Object.freeze({ Title: { $where: 'true' } }) as unknown as typeof checked;
    expect(errorOf(() => parseSearchConditions(forged)).code).toBe('unknown_operator');
  });

  it('parses the JSON text of whatever the builder makes to equal checked conditions', () => {
    fc.assert(
      fc.property(builtConditions, (builder) => {
        const built = builder.toJSON();
        const reparsed = parseSearchConditions(JSON.stringify(built));
        expect(reparsed).toStrictEqual(built);
        expect(deeplyFrozen(built) && deeplyFrozen(reparsed)).toBe(true);
        expect(Object.keys(reparsed)).toEqual(Object.keys(built));
        expect(parseSearchConditions(reparsed)).toBe(reparsed);
      }),
      { numRuns: 200 },
    );
  });
});
