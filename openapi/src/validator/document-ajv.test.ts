import { describe, expect, it } from 'vitest';
import { openapiDocument } from '../index.js';
import type { JsonObject, JsonValue } from '../index.js';
import { createDocumentAjv } from './document-ajv.js';
import { toPointer } from './json-pointer.js';

const SUBSCHEMA_MAPS = ['properties', '$defs', 'dependentSchemas', 'patternProperties'];
const SUBSCHEMA_LISTS = ['anyOf', 'oneOf', 'allOf', 'prefixItems'];
const SUBSCHEMAS = [
  'items',
  'additionalProperties',
  'not',
  'propertyNames',
  'contains',
  'if',
  'then',
  'else',
];

function isObject(value: JsonValue | undefined): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Every schema below `schema` (itself included) that carries JSON Schema `examples`. */
function schemasWithExamples(
  schema: JsonValue | undefined,
  tokens: string[],
): { pointer: string; examples: readonly JsonValue[] }[] {
  if (!isObject(schema)) return [];
  const found = Array.isArray(schema.examples)
    ? [{ pointer: toPointer(tokens), examples: schema.examples as readonly JsonValue[] }]
    : [];
  for (const keyword of SUBSCHEMA_MAPS) {
    const map = schema[keyword];
    if (!isObject(map)) continue;
    for (const [name, child] of Object.entries(map)) {
      found.push(...schemasWithExamples(child, [...tokens, keyword, name]));
    }
  }
  for (const keyword of SUBSCHEMA_LISTS) {
    const list = schema[keyword];
    if (!Array.isArray(list)) continue;
    list.forEach((child: JsonValue, index: number) =>
      found.push(...schemasWithExamples(child, [...tokens, keyword, String(index)])),
    );
  }
  for (const keyword of SUBSCHEMAS) {
    found.push(...schemasWithExamples(schema[keyword], [...tokens, keyword]));
  }
  return found;
}

describe('the document loaded into Ajv', () => {
  const ajv = createDocumentAjv(openapiDocument);
  const schemas = openapiDocument.components.schemas;
  const schemaExamples = Object.entries(schemas).flatMap(([name, schema]) =>
    schemasWithExamples(schema, ['components', 'schemas', name]).flatMap(({ pointer, examples }) =>
      examples.map((example, index) => [pointer, index, example] as const),
    ),
  );

  it('compiles every component schema in strict mode', () => {
    for (const name of Object.keys(schemas)) {
      expect(typeof ajv.validatorAt(toPointer(['components', 'schemas', name]))).toBe('function');
    }
  });

  it('finds schema-level examples to check', () => {
    expect(schemaExamples.length).toBeGreaterThan(Object.keys(schemas).length / 2);
  });

  it.each(schemaExamples)('schema example %s #%i matches its schema', (pointer, _, example) => {
    const validate = ajv.validatorAt(pointer);
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });

  const headers = Object.entries(openapiDocument.components.headers as JsonObject);
  const headerExamples = headers.flatMap(([name, header]) =>
    Object.entries((header as JsonObject).examples as JsonObject).map(
      ([exampleName, example]) => [name, exampleName, (example as JsonObject).value] as const,
    ),
  );

  it.each(headerExamples)('header example %s/%s matches the header schema', (name, _, value) => {
    const validate = ajv.validatorAt(toPointer(['components', 'headers', name, 'schema']));
    expect(validate(value)).toBe(true);
  });

  it('rejects a Retry-After value that is neither delay-seconds nor an HTTP-date', () => {
    const validate = ajv.validatorAt(toPointer(['components', 'headers', 'RetryAfter', 'schema']));
    expect(validate('2023-09-01T00:00:01Z')).toBe(false);
    expect(validate('-1')).toBe(false);
  });

  it('maps document objects back to their JSON pointer', () => {
    const branches = (schemas.SearchConditionValue as JsonObject).anyOf as readonly JsonValue[];
    expect(ajv.pointerOf(branches)).toBe('/components/schemas/SearchConditionValue/anyOf');
    expect(ajv.pointerOf({})).toBeUndefined();
  });

  it('explains an unknown pointer instead of returning nothing', () => {
    expect(() => ajv.validatorAt('/components/schemas/Missing')).toThrow(
      'No schema at JSON pointer "/components/schemas/Missing"',
    );
  });
});
