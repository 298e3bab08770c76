// fast-check arbitraries generated from the contract's JSON Schemas, so property tests post the
// bodies the contract describes rather than hand-picked ones. It covers the keywords the contract
// uses; a body it makes may still break a rule it does not model (a calendar date, `minProperties`
// beside `propertyNames`), which is fine: the mock must answer those without a 500 too.
import { openapiDocument } from '@d3soar/openapi';
import fc from 'fast-check';

type Schema = Readonly<Record<string, unknown>>;

const schemas = (openapiDocument.components as unknown as { schemas: Record<string, Schema> })
  .schemas;

const word = fc.stringMatching(/^[A-Za-z][A-Za-z0-9 _-]{0,11}$/);
const leaf = fc.oneof(word, fc.integer(), fc.boolean(), fc.constant(null));

/** An arbitrary of values the schema describes, nesting at most `depth` more levels. */
export function arbitraryOf(schema: Schema, depth = 4): fc.Arbitrary<unknown> {
  if (typeof schema['$ref'] === 'string') {
    const name = schema['$ref'].split('/').pop() ?? '';
    const target = schemas[name];
    if (target === undefined) throw new Error(`no schema ${name}`);
    return arbitraryOf(target, depth);
  }
  if ('const' in schema) return fc.constant(schema['const']);
  if (Array.isArray(schema['enum'])) return fc.constantFrom(...(schema['enum'] as unknown[]));
  for (const key of ['oneOf', 'anyOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) {
      return fc.oneof(...(options as Schema[]).map((option) => arbitraryOf(option, depth)));
    }
  }
  const type = schema['type'];
  if (Array.isArray(type)) {
    return fc.oneof(
      ...(type as string[]).map((one) => arbitraryOf({ ...schema, type: one }, depth)),
    );
  }
  switch (type) {
    case 'string':
      return stringOf(schema);
    case 'integer':
      return fc.integer({ min: (schema['minimum'] as number | undefined) ?? 0, max: 1_000_000 });
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 });
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(
        schema['items'] === undefined ? leaf : arbitraryOf(schema['items'] as Schema, depth - 1),
        {
          minLength: (schema['minItems'] as number | undefined) ?? 0,
          maxLength: Math.min((schema['maxItems'] as number | undefined) ?? 4, 4),
        },
      );
    case 'object':
    case undefined:
      return objectOf(schema, depth);
    default:
      return leaf;
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  if (typeof schema['pattern'] === 'string')
    return fc.stringMatching(new RegExp(schema['pattern']));
  if (schema['format'] === 'date-time') {
    return fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2030-12-31T23:59:59Z'),
        noInvalidDate: true,
      })
      .map((date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z'));
  }
  const minLength = (schema['minLength'] as number | undefined) ?? 0;
  return fc.string({ minLength, maxLength: minLength + 12 });
}

function objectOf(schema: Schema, depth: number): fc.Arbitrary<unknown> {
  const properties = (schema['properties'] as Record<string, Schema> | undefined) ?? {};
  const required = new Set((schema['required'] as string[] | undefined) ?? []);
  const named = fc.record(
    Object.fromEntries(
      Object.entries(properties).map(([name, property]) => [
        name,
        arbitraryOf(property, depth - 1),
      ]),
    ),
    { requiredKeys: [...required].filter((name) => name in properties) },
  );
  const extra = schema['additionalProperties'];
  const pattern = (schema['propertyNames'] as Schema | undefined)?.['pattern'];
  const key = typeof pattern === 'string' ? fc.stringMatching(new RegExp(pattern)) : word;
  const patterned = Object.values(
    (schema['patternProperties'] as Record<string, Schema> | undefined) ?? {},
  );
  const valueSchema =
    typeof extra === 'object' && extra !== null
      ? (extra as Schema)
      : patterned.length > 0
        ? (patterned[patterned.length - 1] as Schema)
        : undefined;
  const value =
    depth <= 0
      ? leaf
      : valueSchema === undefined
        ? extra === true
          ? leaf
          : undefined
        : arbitraryOf(valueSchema, depth - 1);
  if (value === undefined) return named;
  const minKeys = (schema['minProperties'] as number | undefined) ?? 0;
  return fc
    .tuple(named, fc.dictionary(key, value, { minKeys, maxKeys: Math.max(minKeys, 3) }))
    .map(([fixed, more]) => ({ ...more, ...(fixed as object) }));
}
