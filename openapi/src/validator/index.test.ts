import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openapiDocument, operationIds } from '../index.js';
import type { OperationId } from '../index.js';
import { createContractValidator } from './index.js';
import type { ValidationResult } from './index.js';

type Json = Record<string, unknown>;
type NamedExample = { value: unknown };

const validator = createContractValidator();

function asObject(value: unknown): Json {
  return value as Json;
}

/** Follows a local `#/...` ref of a response object. */
function resolve(node: unknown): Json {
  const ref = asObject(node).$ref;
  if (typeof ref !== 'string') return asObject(node);
  return ref
    .slice(2)
    .split('/')
    .reduce<Json>((current, token) => asObject(current[token]), openapiDocument);
}

function operations(): { operationId: OperationId; operation: Json }[] {
  return Object.values(openapiDocument.paths).flatMap((item) =>
    Object.values(asObject(item)).map((operation) => ({
      operationId: asObject(operation).operationId as OperationId,
      operation: asObject(operation),
    })),
  );
}

function jsonExamples(container: Json): [string, NamedExample][] {
  const media = asObject(asObject(container.content)['application/json']);
  return Object.entries(asObject(media.examples ?? {})) as [string, NamedExample][];
}

function errorsOf(result: ValidationResult) {
  return result.valid ? [] : result.errors;
}

function vendorRequest(operationId: OperationId): Json {
  const found = operations().find((entry) => entry.operationId === operationId);
  const examples = jsonExamples(asObject(found?.operation.requestBody));
  return structuredClone(asObject(examples.find(([name]) => name === 'vendorSample')?.[1].value));
}

function searchConditions(body: Json): Json {
  return asObject(asObject(body.CommandParams)['Search Conditions']);
}

describe('the named examples of the document', () => {
  const requestExamples = operations().flatMap(({ operationId, operation }) =>
    jsonExamples(asObject(operation.requestBody)).map(
      ([name, example]) => [operationId, name, example.value] as const,
    ),
  );
  const responseExamples = operations().flatMap(({ operationId, operation }) =>
    Object.entries(asObject(operation.responses)).flatMap(([status, response]) =>
      jsonExamples(resolve(response)).map(
        ([name, example]) => [operationId, Number(status), name, example.value] as const,
      ),
    ),
  );

  it('include at least one request and one response example per operation and status', () => {
    for (const { operationId, operation } of operations()) {
      expect(requestExamples.some(([id]) => id === operationId)).toBe(true);
      for (const status of Object.keys(asObject(operation.responses))) {
        const found = responseExamples.some(
          ([id, code]) => id === operationId && code === Number(status),
        );
        expect(found, `${operationId} ${status}`).toBe(true);
      }
    }
  });

  it.each(requestExamples)('request example %s/%s matches the request schema', (id, _, value) => {
    expect(validator.validateRequest(id, value)).toEqual({ valid: true });
  });

  it.each(responseExamples)(
    'response example %s %i/%s matches the response schema',
    (id, status, _, value) => {
      expect(validator.validateResponse(id, status, value)).toEqual({ valid: true });
    },
  );
});

describe('validateRequest', () => {
  it('rejects a SetEventTechniques body without Event IDs, naming the missing field', () => {
    const body = vendorRequest('SetEventTechniques');
    delete asObject(body.CommandParams)['Event IDs'];
    expect(errorsOf(validator.validateRequest('SetEventTechniques', body))).toEqual([
      { path: '/CommandParams/Event IDs', message: "must have required property 'Event IDs'" },
    ]);
  });

  it('rejects an empty Event IDs list', () => {
    const body = vendorRequest('SetEventTechniques');
    asObject(body.CommandParams)['Event IDs'] = [];
    expect(errorsOf(validator.validateRequest('SetEventTechniques', body))).toEqual([
      { path: '/CommandParams/Event IDs', message: 'must NOT have fewer than 1 items' },
    ]);
  });

  it('accepts any non-empty list of integer event IDs', () => {
    fc.assert(
      fc.property(fc.array(fc.integer(), { minLength: 1, maxLength: 5 }), (eventIds) => {
        const body = vendorRequest('SetEventTechniques');
        asObject(body.CommandParams)['Event IDs'] = eventIds;
        expect(validator.validateRequest('SetEventTechniques', body)).toEqual({ valid: true });
      }),
      { numRuns: 50 },
    );
  });

  it('rejects an event ID that is not an integer, naming its index', () => {
    const notAnInteger = fc.oneof(
      fc.string(),
      fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 3 }),
        notAnInteger,
        fc.array(fc.integer(), { maxLength: 3 }),
        (before, bad, after) => {
          const body = vendorRequest('SetEventTechniques');
          asObject(body.CommandParams)['Event IDs'] = [...before, bad, ...after];
          const errors = errorsOf(validator.validateRequest('SetEventTechniques', body));
          expect(errors).toEqual([
            { path: `/CommandParams/Event IDs/${before.length}`, message: 'must be integer' },
          ]);
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects the string event ID "60250"', () => {
    const body = vendorRequest('SetEventTechniques');
    asObject(body.CommandParams)['Event IDs'] = ['60250'];
    expect(errorsOf(validator.validateRequest('SetEventTechniques', body))).toEqual([
      { path: '/CommandParams/Event IDs/0', message: 'must be integer' },
    ]);
  });

  it('rejects a parameter name that is not the vendor spelling', () => {
    const body = vendorRequest('SetEventTechniques');
    const params = asObject(body.CommandParams);
    params.EventIDs = params['Event IDs'];
    delete params['Event IDs'];
    expect(errorsOf(validator.validateRequest('SetEventTechniques', body))).toEqual([
      { path: '/CommandParams/Event IDs', message: "must have required property 'Event IDs'" },
      { path: '/CommandParams/EventIDs', message: 'is not an allowed property' },
    ]);
  });

  it.each([
    '2023-09-01',
    '2023-09-01T00:00:00+02:00',
    '2023-09-01T00:00:00.000Z',
    '2023-09-01 00:00:00Z',
  ])('rejects the search date %s, naming the $date field', (date) => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    asObject(searchConditions(body).CreatedUtcTime).$gt = { $date: date };
    const errors = errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body));
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.path).toBe('/CommandParams/Search Conditions/CreatedUtcTime/$gt/$date');
    }
    expect(errors.map((error) => error.message)).toContain(
      'must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}Z$"',
    );
  });

  it('accepts any UTC date written as yyyy-MM-ddTHH:mm:ssZ as a comparison bound', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('9999-12-31T23:59:59Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('$gt', '$gte', '$lt', '$lte'),
        (date, operator) => {
          const body = vendorRequest('TriggerIncidentExternalAction');
          const $date = date.toISOString().replace(/\.\d{3}Z$/, 'Z');
          searchConditions(body).CreatedUtcTime = { [operator]: { $date } };
          expect(validator.validateRequest('TriggerIncidentExternalAction', body)).toEqual({
            valid: true,
          });
        },
      ),
      { numRuns: 50 },
    );
  });

  it('rejects a date that has the right shape but does not exist', () => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    searchConditions(body).CreatedUtcTime = { $lt: { $date: '2023-02-30T00:00:00Z' } };
    expect(errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body))).toEqual([
      {
        path: '/CommandParams/Search Conditions/CreatedUtcTime/$lt/$date',
        message: 'must match format "date-time"',
      },
    ]);
  });

  it.each(['$ne', '$exists', '$foo'])('rejects the unknown operator %s, naming it', (operator) => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    asObject(searchConditions(body).CreatedUtcTime)[operator] = 3;
    expect(errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body))).toEqual([
      {
        path: `/CommandParams/Search Conditions/CreatedUtcTime/${operator}`,
        message: 'is not an allowed property',
      },
    ]);
  });

  it('rejects a top-level $or, which is not part of the Search Conditions grammar', () => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    searchConditions(body).$or = [{ Number: '1' }];
    const errors = errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body));
    expect(errors).toContainEqual({
      path: '/CommandParams/Search Conditions/$or',
      message: 'property name must match pattern "^[^$]"',
    });
  });

  it('rejects empty Search Conditions', () => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    asObject(body.CommandParams)['Search Conditions'] = {};
    expect(errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body))).toEqual([
      {
        path: '/CommandParams/Search Conditions',
        message: 'must NOT have fewer than 1 properties',
      },
    ]);
  });

  it('explains a search value of the wrong type in one issue listing the accepted types', () => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    searchConditions(body).Severity = true;
    expect(errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body))).toEqual([
      {
        path: '/CommandParams/Search Conditions/Severity',
        message: 'must be string, number or object',
      },
    ]);
  });

  it('rejects $in values that are neither strings nor numbers', () => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    searchConditions(body).Severity = { $in: ['High', { level: 1 }] };
    expect(errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body))).toEqual([
      {
        path: '/CommandParams/Search Conditions/Severity/$in/1',
        message: 'must be string or number',
      },
    ]);
  });

  it('requires the Trigger Data object', () => {
    const body = vendorRequest('TriggerIncidentExternalAction');
    delete asObject(body.CommandParams)['Trigger Data'];
    expect(errorsOf(validator.validateRequest('TriggerIncidentExternalAction', body))).toEqual([
      {
        path: '/CommandParams/Trigger Data',
        message: "must have required property 'Trigger Data'",
      },
    ]);
  });

  it.each([null, '', 'URL', 'External IP', 'customartifacttype'])(
    'accepts %j as Artifact Type',
    (artifactType) => {
      const body = vendorRequest('SaveArtifactForIncident');
      asObject(body.CommandParams)['Artifact Type'] = artifactType;
      expect(validator.validateRequest('SaveArtifactForIncident', body)).toEqual({ valid: true });
    },
  );

  it('requires the Artifact Type key even though its value may be null', () => {
    const body = vendorRequest('SaveArtifactForIncident');
    delete asObject(body.CommandParams)['Artifact Type'];
    expect(errorsOf(validator.validateRequest('SaveArtifactForIncident', body))).toEqual([
      {
        path: '/CommandParams/Artifact Type',
        message: "must have required property 'Artifact Type'",
      },
    ]);
  });

  it('rejects Additional on an artifact without Identity, asking for the Identity', () => {
    const body = vendorRequest('SaveArtifactForIncident');
    asObject(body.CommandParams)['Artifact Fields'] = [
      { URL: 'http://example.com', Additional: {} },
    ];
    // `Additional` makes the artifact user-defined, and a user-defined artifact needs `Identity`.
    expect(errorsOf(validator.validateRequest('SaveArtifactForIncident', body))).toContainEqual({
      path: '/CommandParams/Artifact Fields/0/Identity',
      message: "must have required property 'Identity'",
    });
  });

  it('rejects a non-string field value, naming the artifact and the field', () => {
    const body = vendorRequest('SaveArtifactForIncident');
    asObject(body.CommandParams)['Artifact Fields'] = [
      { URL: 'http://example.com' },
      { UserName: 7 },
    ];
    expect(errorsOf(validator.validateRequest('SaveArtifactForIncident', body))).toEqual([
      { path: '/CommandParams/Artifact Fields/1/UserName', message: 'must be string' },
    ]);
  });

  it('rejects a body that is not an object', () => {
    expect(errorsOf(validator.validateRequest('SetEventTechniques', 'hello'))).toEqual([
      { path: '', message: 'must be object' },
    ]);
  });

  it('throws for an operationId that is not in the contract', () => {
    expect(() => validator.validateRequest('GetIncidents' as OperationId, {})).toThrow(
      /Unknown operationId "GetIncidents"/,
    );
  });
});

describe('validateResponse', () => {
  it.each([
    [
      'SetEventTechniques',
      { error: 'Event 1 was not found.', returnData: 'Failed', contextData: [] },
    ],
    [
      'SaveArtifactForIncident',
      { error: 'Incident not found.', returnData: 'Failed', contextData: [] },
    ],
    ['TriggerIncidentExternalAction', { error: 'No match.', returnData: { Status: 'Failed' } }],
  ] as const)('accepts a command-level failure of %s sent with status 200', (id, body) => {
    expect(validator.validateResponse(id, 200, body)).toEqual({ valid: true });
    expect(validator.validateSchema('CommandFailure', body)).toEqual({ valid: true });
  });

  it('rejects a 200 body with an empty error that does not have the success shape', () => {
    const result = validator.validateResponse('TriggerIncidentExternalAction', 200, {
      error: '',
      returnData: { Status: 'Failed' },
    });
    expect(errorsOf(result)).toContainEqual({
      path: '/returnData/Data',
      message: "must have required property 'Data'",
    });
  });

  it('names a missing success field rather than only the failure branch', () => {
    const result = validator.validateResponse('SetEventTechniques', 200, {
      error: '',
      returnData: 'Successful',
    });
    expect(errorsOf(result)).toContainEqual({
      path: '/contextData',
      message: "must have required property 'contextData'",
    });
  });

  it('names the failing field deep inside a success body', () => {
    const result = validator.validateResponse('SaveArtifactForIncident', 200, {
      error: '',
      returnData: 'Successful',
      contextData: [
        {
          ArtifactType: 'URL',
          Status: 'Successful',
          ArtifactName: 'http://example.com',
          UpdateOrAdd: 'Replace',
          ArtifactDetails: { URL: 'http://example.com' },
        },
      ],
    });
    expect(errorsOf(result)).toEqual([
      { path: '/contextData/0/UpdateOrAdd', message: 'must be one of: "Add", "Update"' },
    ]);
  });

  const errorStatuses = [400, 401, 429, 500, 503];
  const cases = operationIds.flatMap((id) => errorStatuses.map((status) => [id, status] as const));

  it.each(cases)('accepts an {"Error": ...} body for %s %i', (id, status) => {
    expect(validator.validateResponse(id, status, { Error: 'Unexpected Error.' })).toEqual({
      valid: true,
    });
  });

  it.each(cases)('rejects a lower-case {"error": ...} body for %s %i', (id, status) => {
    expect(errorsOf(validator.validateResponse(id, status, { error: 'x' }))).toEqual([
      { path: '/Error', message: "must have required property 'Error'" },
    ]);
  });

  it('reports an undocumented status as invalid, listing the documented ones', () => {
    expect(errorsOf(validator.validateResponse('SetEventTechniques', 418, {}))).toEqual([
      {
        path: '',
        message:
          'status 418 is not documented for SetEventTechniques (documented: 200, 400, 401, 429, 500, 503)',
      },
    ]);
  });

  it('throws for a status that is not an HTTP status code', () => {
    expect(() => validator.validateResponse('SetEventTechniques', 2000, {})).toThrow(TypeError);
  });
});

describe('validateSchema', () => {
  it('validates a value against a named component schema', () => {
    expect(validator.validateSchema('SearchConditions', { Number: '20230413-123' })).toEqual({
      valid: true,
    });
    expect(errorsOf(validator.validateSchema('ErrorResponse', { Error: 5 }))).toEqual([
      { path: '/Error', message: 'must be string' },
    ]);
  });

  it('throws for a name that is not a component schema', () => {
    expect(() => validator.validateSchema('Nope' as 'ErrorResponse', {})).toThrow(
      /Unknown schema name "Nope"/,
    );
  });

  it('gives the same answer from a fresh validator as from a reused one', () => {
    const body = { Error: 1 };
    expect(createContractValidator().validateSchema('ErrorResponse', body)).toEqual(
      validator.validateSchema('ErrorResponse', body),
    );
  });
});
