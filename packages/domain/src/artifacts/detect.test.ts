import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPOSITE_ARTIFACT_FIELDS, COMPOSITE_ARTIFACT_TYPES } from './artifact-types.js';
import { detectArtifactType, validateArtifacts } from './detect.js';
import { ArtifactError } from './errors.js';
import { thrownBy } from '../test-support/thrown-by.js';

/** The ArtifactError a call throws (fails the test if it throws nothing or something else). */
const errorOf = (call: () => unknown): ArtifactError => thrownBy(ArtifactError, call);

describe('detectArtifactType', () => {
  it('matches keys case-insensitively and answers in the vendor casing', () => {
    const detected = detectArtifactType({ external_hostfqdn: 'd3.example.ca', REPUTATION: 'Low' });
    expect(detected).toEqual({
      type: 'ExternalEndpoint',
      identity: { field: 'External_HostFQDN', value: 'd3.example.ca' },
      fields: { External_HostFQDN: 'd3.example.ca', Reputation: 'Low' },
      warnings: [],
    });
  });

  it('detects every composite type from any one of its fields', () => {
    for (const type of COMPOSITE_ARTIFACT_TYPES) {
      for (const field of COMPOSITE_ARTIFACT_FIELDS[type]) {
        const value =
          field === 'External_IPAddress'
            ? '8.8.8.8'
            : field === 'Internal_IPAddress'
              ? '10.0.0.8'
              : field === 'MD5'
                ? 'a'.repeat(32)
                : field === 'SHA1'
                  ? 'b'.repeat(40)
                  : field === 'SHA256'
                    ? 'c'.repeat(64)
                    : 'value';
        expect(detectArtifactType({ [field]: value }).type).toBe(type);
      }
    }
  });

  it('lets Reputation ride along without deciding the type', () => {
    expect(detectArtifactType({ Reputation: 'High', MD5: 'a'.repeat(32) }).type).toBe('File');
    expect(errorOf(() => detectArtifactType({ Reputation: 'High' })).code).toBe('empty');
  });

  it('takes an object with Identity as a user-defined artifact, with Reputation and Additional', () => {
    const detected = detectArtifactType({
      Identity: 'customartifactid',
      Reputation: 'High',
      Additional: { 'Action result': 'updated', 'Action result ID': '' },
    });
    expect(detected.type).toBe('UserDefined');
    expect(detected.identity).toEqual({ field: 'Identity', value: 'customartifactid' });
  });

  it('names the artifact by its most telling filled field', () => {
    expect(
      detectArtifactType({ FilePath: 'C:\\x\\a.exe', MD5: 'a'.repeat(32), FileName: '' }).identity,
    ).toEqual({ field: 'MD5', value: 'a'.repeat(32) });
    expect(
      detectArtifactType({ Internal_HostFQDN: '', Internal_IPAddress: '10.0.0.1' }).identity,
    ).toEqual({
      field: 'Internal_IPAddress',
      value: '10.0.0.1',
    });
  });

  it('reports fields of two types as conflicting, naming both types and the fields', () => {
    const error = errorOf(() => detectArtifactType({ URL: 'http://a.example', UserName: 'bob' }));
    expect(error.code).toBe('conflicting_fields');
    expect(error.types).toEqual(['URL', 'User']);
    expect(error.fields).toEqual(['URL', 'UserName']);
    expect(error.message).toContain('URL (URL) and User (UserName)');
  });

  it('reports composite fields beside Identity as conflicting', () => {
    const error = errorOf(() => detectArtifactType({ Identity: 'x', URL: 'http://a.example' }));
    expect(error.code).toBe('conflicting_fields');
    expect(error.types).toEqual(['UserDefined', 'URL']);
  });

  it('reports one field given twice in different casing', () => {
    const error = errorOf(() => detectArtifactType({ URL: 'a', url: 'b' }));
    expect(error.code).toBe('conflicting_fields');
    expect(error.fields).toEqual(['URL', 'url']);
  });

  it('sends fields the vendor does not name as given, with a warning naming each', () => {
    const plain = detectArtifactType({ URL: 'a', Colour: 'red', Size: '1' });
    expect(plain.fields).toEqual({ URL: 'a', Colour: 'red', Size: '1' });
    expect(plain.warnings.map(({ code, path }) => [code, path])).toEqual([
      ['unknown-field', 'Colour'],
      ['unknown-field', 'Size'],
    ]);
    // A value the contract does not take is still refused, known field or not.
    const numeric = errorOf(() => detectArtifactType({ URL: 'a', Size: 1 }));
    expect(numeric.code).toBe('invalid_value');
    expect(numeric.fields).toEqual(['Size']);
  });

  it("keeps a user-defined artifact's own top-level fields, with a warning", () => {
    const custom = detectArtifactType({ Identity: 'x', Colour: 'red', Additional: { a: 'b' } });
    expect(custom.type).toBe('UserDefined');
    expect(custom.fields).toEqual({ Identity: 'x', Colour: 'red', Additional: { a: 'b' } });
    expect(custom.warnings).toEqual([
      expect.objectContaining({ code: 'user-defined-own-field', path: 'Colour' }),
    ]);
  });

  it('refuses fields that name no type at all, telling how to make a user-defined artifact', () => {
    const error = errorOf(() => detectArtifactType({ Colour: 'red' }));
    expect(error.code).toBe('unknown_fields');
    expect(error.fields).toEqual(['Colour']);
    expect(error.message).toContain('add Identity');
  });

  it.each([
    [{}],
    [{ URL: '' }],
    [{ URL: null, Reputation: 'Low' }],
    [{ ProcessName: '   ', ProcessOS: '' }],
    [{ Internal_IPAddress: [] }],
    [{ Identity: '', Additional: { a: 'b' } }],
    [null],
  ])('reports %j as empty', (fields) => {
    expect(errorOf(() => detectArtifactType(fields)).code).toBe('empty');
  });

  it.each([
    [{ SHA256: 'abc' }, 'SHA256', '64 hex digits'],
    [{ MD5: 'z'.repeat(32) }, 'MD5', '32 hex digits'],
    [{ SHA1: 'a'.repeat(41) }, 'SHA1', '40 hex digits'],
    [{ Internal_IPAddress: '10.0.0.300' }, 'Internal_IPAddress', 'not an IP address'],
    [{ Internal_IPAddress: '10.0.0.1,,10.0.0.2' }, 'Internal_IPAddress', 'not an IP address'],
    [{ UserName: { name: 'x' } }, 'UserName', 'must be a string'],
    [{ ProcessID: Number.NaN, ProcessName: 'a' }, 'ProcessID', 'must be a string'],
    [{ Identity: 'x', Additional: 'text' }, 'Additional', 'must be an object'],
    [{ Identity: 'x', Additional: { nested: { a: 1 } } }, 'Additional', 'Additional.nested'],
  ])('reports %j as an invalid value of %s', (fields, field, explanation) => {
    const error = errorOf(() => detectArtifactType(fields));
    expect(error.code).toBe('invalid_value');
    expect(error.fields).toEqual([field]);
    expect(error.message).toContain(explanation);
  });

  it.each([
    [{ External_IPAddress: '10.1.1.1' }, 'ip-not-public', 'non-public address (private)'],
    [{ External_IPAddress: '::ffff:192.168.1.1' }, 'ip-not-public', 'non-public'],
    [{ Internal_IPAddress: '8.8.8.8' }, 'ip-public-in-internal', 'a public address'],
    [{ Internal_IPAddress: '10.0.0.1, 8.8.4.4' }, 'ip-public-in-internal', '8.8.4.4'],
    [{ External_IPAddress: '192.0.2.10' }, 'ip-special-purpose', 'special-purpose address'],
    [{ Internal_IPAddress: '198.18.0.1' }, 'ip-special-purpose', 'neither private nor globally'],
    [{ External_IPAddress: '2001:db8::1' }, 'ip-special-purpose', 'special-purpose'],
  ])('sends %j as given, warning %s', (fields, code, explanation) => {
    const detected = detectArtifactType(fields);
    expect(detected.fields).toEqual(fields);
    expect(detected.warnings).toHaveLength(1);
    expect(detected.warnings[0]).toMatchObject({ code, path: Object.keys(fields)[0] });
    expect(detected.warnings[0]?.message).toContain(explanation);
    // No advice to move a special-purpose address to the other field: it fits neither.
    if (code === 'ip-special-purpose') {
      expect(detected.warnings[0]?.message).not.toMatch(/send it as|use (Ex|In)ternal/);
    }
  });

  it('warns nothing for addresses of the class each field is documented for', () => {
    expect(detectArtifactType({ External_IPAddress: '66.249.64.167' }).warnings).toEqual([]);
    expect(detectArtifactType({ Internal_IPAddress: '10.0.0.1, fe80::1' }).warnings).toEqual([]);
  });

  it('accepts a comma-separated IP list, as the vendor response spells it', () => {
    expect(
      detectArtifactType({ External_IPAddress: '66.249.64.167, 0:0:1:0:0:aaaa:cd9:d0a' }).type,
    ).toBe('ExternalEndpoint');
  });

  it('reports every invalid value at once', () => {
    const error = errorOf(() => detectArtifactType({ MD5: 'x', SHA1: 'y', FileName: 'a.exe' }));
    expect(error.fields).toEqual(['MD5', 'SHA1']);
  });

  describe('lets empty values decide nothing', () => {
    it.each([
      [{ URL: '', UserName: null }],
      [{ URL: '  ', UserName: '', Reputation: 'Low' }],
      [{ Internal_IPAddress: [], External_HostName: '' }],
      [{ Identity: '', FileName: '' }],
    ])('reports %j, whose fields of two types are all empty, as empty', (fields) => {
      expect(errorOf(() => detectArtifactType(fields)).code).toBe('empty');
    });

    it('detects the type of the one filled field, leaving empty ones of other types out', () => {
      expect(detectArtifactType({ URL: '', UserName: 'bob' })).toEqual({
        type: 'User',
        identity: { field: 'UserName', value: 'bob' },
        fields: { UserName: 'bob' },
        warnings: [],
      });
      expect(
        detectArtifactType({ FileName: ' ', EmailAddress: 'a@example.com', Reputation: 'Low' })
          .fields,
      ).toEqual({ EmailAddress: 'a@example.com', Reputation: 'Low' });
    });

    it('still reports filled fields of two types as conflicting', () => {
      const error = errorOf(() =>
        detectArtifactType({ URL: 'http://a.example', UserName: 'bob', FileName: '' }),
      );
      expect(error.code).toBe('conflicting_fields');
      expect(error.fields).toEqual(['URL', 'UserName']);
    });

    it('still checks every key, empty or not, for unknown and unsafe names', () => {
      expect(detectArtifactType({ URL: 'x', Colour: '' }).warnings[0]?.code).toBe('unknown-field');
      const unsafe = JSON.parse('{"URL": "x", "__proto__": null}') as unknown;
      expect(errorOf(() => detectArtifactType(unsafe)).code).toBe('unsafe_key');
    });

    it('takes no empty Identity beside system fields, which the contract forbids, unless coerced', () => {
      const fields = { Identity: '', URL: 'http://a.example' };
      const error = errorOf(() => detectArtifactType(fields));
      expect(error.code).toBe('conflicting_fields');
      expect(error.fields).toEqual(['Identity']);
      expect(detectArtifactType(fields, { coerce: true }).fields).toEqual({
        URL: 'http://a.example',
      });
    });
  });

  describe('takes the values the OpenAPI contract takes', () => {
    it.each([
      [{ MD5: 12345 }, 'MD5'],
      [{ SHA256: 1e63 }, 'SHA256'],
      [{ SHA1: ['a'.repeat(40)] }, 'SHA1'],
    ])('refuses the hash %j that is not a string, even when coercing', (fields, field) => {
      for (const options of [{}, { coerce: true }]) {
        const error = errorOf(() => detectArtifactType(fields, options));
        expect(error.code).toBe('invalid_value');
        expect(error.fields).toEqual([field]);
        expect(error.message).toContain('must be a string of');
      }
    });

    it.each([
      [{ ProcessID: 21721, ProcessName: 'a.exe' }, 'ProcessID', 'must be a string, not 21721'],
      [{ URL: 'http://a.example', Reputation: null }, 'Reputation', 'has no null'],
      [{ URL: null, UserName: 'bob' }, 'URL', 'has no null'],
      [{ Identity: 7 }, 'Identity', 'must be a string, not 7'],
      [{ Identity: 'x', Additional: { k: 3 } }, 'Additional', 'Additional.k must be a string'],
      [{ Identity: 'x', Additional: { k: true } }, 'Additional', 'Additional.k must be a string'],
      [{ Identity: 'x', Additional: { k: null } }, 'Additional', 'has no null'],
      [{ Internal_IPAddress: ['10.0.0.1'] }, 'Internal_IPAddress', 'several separated by commas'],
      [{ ServiceName: true }, 'ServiceName', 'must be a string, not true'],
    ])('refuses %j, naming %s and the type expected', (fields, field, explanation) => {
      const error = errorOf(() => detectArtifactType(fields));
      expect(error.code).toBe('invalid_value');
      expect(error.fields).toEqual([field]);
      expect(error.message).toContain(explanation);
    });

    it('converts numbers, nulls and IP arrays to the contract strings with coerce', () => {
      expect(
        detectArtifactType(
          { ProcessGuid: '1589170327575', ProcessID: 21721, ProcessOS: null },
          { coerce: true },
        ).fields,
      ).toEqual({ ProcessGuid: '1589170327575', ProcessID: '21721' });
      expect(
        detectArtifactType({ Internal_IPAddress: ['192.168.2.112', '10.0.0.1'] }, { coerce: true }),
      ).toEqual({
        type: 'InternalEndpoint',
        identity: { field: 'Internal_IPAddress', value: '192.168.2.112, 10.0.0.1' },
        fields: { Internal_IPAddress: '192.168.2.112, 10.0.0.1' },
        warnings: [],
      });
      expect(
        detectArtifactType(
          { Identity: 7, Additional: { Count: 3, Flag: true, Empty: null } },
          { coerce: true },
        ).fields,
      ).toEqual({ Identity: '7', Additional: { Count: '3', Flag: 'true' } });
    });

    it('still checks the addresses of an IP array when coercing', () => {
      const error = errorOf(() =>
        detectArtifactType({ Internal_IPAddress: ['10.0.0.1', '10.0.0.x'] }, { coerce: true }),
      );
      expect(error.code).toBe('invalid_value');
      expect(error.message).toContain('"10.0.0.x", which is not an IP address');
      const warned = detectArtifactType(
        { Internal_IPAddress: ['10.0.0.1', '8.8.8.8'] },
        { coerce: true },
      );
      expect(warned.warnings[0]?.message).toContain('8.8.8.8, a public address');
    });
  });

  it.each([
    ['an array', []],
    ['a string', 'URL'],
    ['a number', 5],
    ['a Date', new Date(0)],
  ])('rejects %s as artifact fields', (_, input) => {
    expect(errorOf(() => detectArtifactType(input)).code).toBe('invalid_value');
  });

  it.each(['__proto__', 'constructor', 'prototype', 'Constructor', '__PROTO__'])(
    'rejects the key %s as unsafe before anything else',
    (key) => {
      const fields = JSON.parse(
        `{"URL": "http://a.example", "${key}": {"polluted": true}}`,
      ) as unknown;
      const error = errorOf(() => detectArtifactType(fields));
      expect(error.code).toBe('unsafe_key');
      expect(error.fields).toEqual([key]);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    },
  );

  it('rejects unsafe keys inside Additional', () => {
    const fields = JSON.parse(
      '{"Identity": "x", "Additional": {"__proto__": {"polluted": true}}}',
    ) as unknown;
    const error = errorOf(() => detectArtifactType(fields));
    expect(error.code).toBe('unsafe_key');
    expect(error.fields).toEqual(['Additional.__proto__']);
  });

  it('returns fields that share nothing with the input', () => {
    const input = { Identity: 'x', Additional: { a: 'b' }, Reputation: 'Low' };
    const detected = detectArtifactType(input);
    expect(detected.fields.Additional).toEqual(input.Additional);
    expect(detected.fields.Additional).not.toBe(input.Additional);
  });

  it('describes values it cannot serialise without throwing', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(errorOf(() => detectArtifactType({ UserName: cyclic })).code).toBe('invalid_value');
    expect(errorOf(() => detectArtifactType({ UserName: 10n })).message).toContain('10n');
  });

  it('accepts null-prototype objects such as parsers may produce', () => {
    const fields = Object.assign(Object.create(null) as Record<string, unknown>, {
      URL: 'http://a.example',
    });
    expect(detectArtifactType(fields).type).toBe('URL');
  });

  it('detects the right type however the keys of a type are cased', () => {
    const typeWithCasing = fc.constantFrom(...COMPOSITE_ARTIFACT_TYPES).chain((type) =>
      fc
        .subarray(
          [...COMPOSITE_ARTIFACT_FIELDS[type]].filter((f) => !/IPAddress|MD5|SHA/.test(f)),
          { minLength: 1 },
        )
        .chain((fields) =>
          fc
            .array(fc.boolean(), { minLength: fields.length * 40, maxLength: fields.length * 40 })
            .map((flips) => ({
              type,
              object: Object.fromEntries(
                fields.map((field, i) => [
                  // Field names are ASCII, so one UTF-16 unit is one character.
                  Array.from(field, (c, j) =>
                    flips[i * 40 + j] ? c.toUpperCase() : c.toLowerCase(),
                  ).join(''),
                  'v',
                ]),
              ),
            })),
        ),
    );
    fc.assert(
      fc.property(typeWithCasing, ({ type, object }) => detectArtifactType(object).type === type),
      { numRuns: 200 },
    );
  });

  it('never throws anything but ArtifactError on arbitrary input, and never pollutes prototypes', () => {
    const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
    const knownKey = fc.constantFrom(
      ...COMPOSITE_ARTIFACT_TYPES.flatMap((type) => COMPOSITE_ARTIFACT_FIELDS[type]),
      'Reputation',
      'Identity',
      'Additional',
      '__proto__',
      'constructor',
      'prototype',
    );
    const key = fc.oneof(knownKey, fc.string({ maxLength: 12 }));
    const objects = fc.oneof(
      fc.dictionary(key, fc.anything({ maxDepth: 2 }), { maxKeys: 5 }),
      fc.dictionary(key, fc.anything({ maxDepth: 2 }), { maxKeys: 5, noNullPrototype: false }),
      fc.anything({
        maxDepth: 3,
        withNullPrototype: true,
        withObjectString: true,
        withBigInt: true,
      }),
      fc.dictionary(
        knownKey,
        fc.oneof(fc.bigInt(), fc.constant(Symbol('s')), fc.func(fc.string())),
        {
          maxKeys: 3,
        },
      ),
      fc.jsonValue({ maxDepth: 3 }).map((json) => JSON.parse(JSON.stringify(json)) as unknown),
    );
    fc.assert(
      fc.property(objects, (input) => {
        try {
          const detected = detectArtifactType(input);
          return typeof detected.type === 'string';
        } catch (error) {
          return error instanceof ArtifactError;
        }
      }),
      { numRuns: 400 },
    );
    expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeKeys);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('validateArtifacts', () => {
  const batch = [
    { URL: 'http://a.example' },
    { UserName: 'bob', URL: 'x' },
    { External_IPAddress: '8.8.8.8' },
  ];

  it('gives one result per item, in order, so a batch can be previewed', () => {
    const results = validateArtifacts(null, batch);
    expect(results.map((r) => [r.index, r.ok])).toEqual([
      [0, true],
      [1, false],
      [2, true],
    ]);
    const second = results[1];
    expect(second?.ok === false && second.error.code).toBe('conflicting_fields');
  });

  it('treats a blank type like null: each item is detected on its own', () => {
    expect(validateArtifacts('  ', batch).map((r) => r.ok)).toEqual([true, false, true]);
  });

  it('with a composite type, fails every item of another type', () => {
    const results = validateArtifacts('URL', batch);
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
    const third = results[2];
    expect(third?.ok === false && third.error.types).toEqual(['URL', 'ExternalEndpoint']);
  });

  it('accepts the response spelling of a type, in any case', () => {
    expect(validateArtifacts('external_endpoint', [batch[2]]).map((r) => r.ok)).toEqual([true]);
  });

  it('with a single-field type, needs its composite type with that field filled', () => {
    const results = validateArtifacts('External IP', [
      { External_IPAddress: '8.8.8.8' },
      { External_HostName: 'host' },
      { URL: 'http://a.example' },
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, false, false]);
  });

  it('with any other name, expects user-defined artifacts', () => {
    const results = validateArtifacts('Ticket', [{ Identity: 'T-1' }, { URL: 'http://a.example' }]);
    expect(results.map((r) => r.ok)).toEqual([true, false]);
  });

  it('throws an ArtifactError when the list is not an array', () => {
    expect(errorOf(() => validateArtifacts(null, { URL: 'x' } as unknown as unknown[])).code).toBe(
      'invalid_value',
    );
  });
});
