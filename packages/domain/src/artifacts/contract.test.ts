import { createContractValidator } from '@d3soar/openapi/validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { COMPOSITE_ARTIFACT_FIELDS, COMPOSITE_ARTIFACT_TYPES } from './artifact-types.js';
import { detectArtifactType } from './detect.js';
import { ArtifactError } from './errors.js';

const contract = createContractValidator();

/** The detection outcome, or `null` when it throws its own error. */
function detectOrNull(input: unknown, coerce: boolean) {
  try {
    return detectArtifactType(input, { coerce });
  } catch (error) {
    if (error instanceof ArtifactError) return null;
    throw error;
  }
}

describe('artifact fields against the OpenAPI contract', () => {
  // Field sets mostly of one type's keys (so that many are accepted), with values of every JSON
  // type, strings that fit the fields most often.
  const anyField = fc.constantFrom(
    ...COMPOSITE_ARTIFACT_TYPES.flatMap((type) => COMPOSITE_ARTIFACT_FIELDS[type]),
    'Reputation',
    'Identity',
    'Additional',
  );
  const scalar = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.constantFrom(
        '',
        ' ',
        'value',
        '8.8.8.8',
        '10.0.0.1',
        'a'.repeat(32),
        'c'.repeat(40),
        'b'.repeat(64),
      ),
    },
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
  );
  const value = fc.oneof(
    { weight: 6, arbitrary: scalar },
    fc.array(fc.constantFrom('10.0.0.1', '8.8.8.8', ''), { maxLength: 2 }),
    fc.dictionary(fc.string({ maxLength: 4 }), scalar, { maxKeys: 3 }),
  );
  const fieldSet = fc
    .constantFrom(...COMPOSITE_ARTIFACT_TYPES, 'UserDefined' as const)
    .chain((type) => {
      const own: string[] =
        type === 'UserDefined'
          ? ['Identity', 'Additional', 'Reputation']
          : [...COMPOSITE_ARTIFACT_FIELDS[type], 'Reputation'];
      const key = fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...own) }, anyField);
      return fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 });
    });

  it('accepts, without coerce, only field sets the contract accepts as they are', () => {
    fc.assert(
      fc.property(fieldSet, (input) => {
        const detected = detectOrNull(input, false);
        if (detected === null) return;
        expect(contract.validateSchema('ArtifactFieldSet', input)).toEqual({ valid: true });
      }),
      { numRuns: 400 },
    );
  });

  it('always returns fields the contract accepts, with or without coerce', () => {
    fc.assert(
      fc.property(fieldSet, fc.boolean(), (input, coerce) => {
        const detected = detectOrNull(input, coerce);
        if (detected === null) return;
        expect(contract.validateSchema('ArtifactFieldSet', detected.fields)).toEqual({
          valid: true,
        });
      }),
      { numRuns: 400 },
    );
  });

  it.each([
    [{ ProcessName: 'a.exe', ProcessID: 21721 }],
    [{ Identity: 'x', Additional: { k: 1 } }],
    [{ Identity: 'x', Additional: { k: true } }],
    [{ Identity: 'x', Additional: { k: null } }],
    [{ Identity: 5 }],
    [{ MD5: 12345 }],
  ])('refuses %j, which the contract refuses too', (input) => {
    expect(contract.validateSchema('ArtifactFieldSet', input).valid).toBe(false);
    expect(() => detectArtifactType(input)).toThrow(ArtifactError);
  });
});
