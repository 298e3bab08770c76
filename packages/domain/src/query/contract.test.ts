import { createContractValidator } from '@d3soar/openapi/validator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtConditions } from '../test-support/search-conditions-arbitrary.js';
import { QueryError } from './errors.js';
import { parseSearchConditions } from './parse.js';

const contract = createContractValidator();

describe('Search Conditions against the OpenAPI contract', () => {
  it('are always valid when the builder makes them, and round-trip through the parser', () => {
    fc.assert(
      fc.property(builtConditions, (builder) => {
        const json = builder.toJSON();
        const result = contract.validateSchema('SearchConditions', json);
        expect(result).toEqual({ valid: true });
        expect(JSON.stringify(parseSearchConditions(JSON.stringify(json)))).toBe(
          JSON.stringify(json),
        );
      }),
      { numRuns: 150 },
    );
  });

  it('are valid under the contract whenever the parser accepts them', () => {
    const date = fc.oneof(
      fc
        .date({ noInvalidDate: true, min: new Date('1900-01-01'), max: new Date('2100-01-01') })
        .map((d) => `${d.toISOString().slice(0, 19)}Z`),
      fc.constantFrom('2023-02-29T00:00:00Z', '2023-09-01', '2023-09-01T00:00:00.000Z', ''),
    );
    const operand = fc.oneof(
      fc.record({ $date: date }),
      fc.record({ $date: date, extra: fc.string() }),
      fc.double(),
      fc.string({ maxLength: 4 }),
    );
    const operators = fc.oneof(
      fc.record(
        {
          $regex: fc.string({ maxLength: 6 }),
          $options: fc.constantFrom('i', 'm', 's', 'is', 'g', 'x', ''),
        },
        { requiredKeys: ['$regex'] },
      ),
      fc.record({
        $in: fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.double(), fc.boolean()), {
          maxLength: 3,
        }),
      }),
      fc.record({ $gt: operand, $gte: operand, $lt: operand, $lte: operand }, { requiredKeys: [] }),
      fc.dictionary(
        fc.constantFrom('$regex', '$in', '$gt', '$eq', '$date'),
        fc.jsonValue({ maxDepth: 1 }),
        { maxKeys: 2 },
      ),
    );
    const condition = fc.oneof(
      fc.string({ maxLength: 6 }),
      fc.double(),
      operators,
      fc.jsonValue({ maxDepth: 1 }),
    );
    const conditions = fc.dictionary(
      fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('$or', 'Title')),
      condition,
      {
        maxKeys: 3,
      },
    );
    fc.assert(
      fc.property(conditions, (input) => {
        let parsed;
        try {
          parsed = parseSearchConditions(input);
        } catch (error) {
          expect(error).toBeInstanceOf(QueryError);
          return;
        }
        expect(contract.validateSchema('SearchConditions', parsed)).toEqual({ valid: true });
      }),
      { numRuns: 300 },
    );
  });
});
