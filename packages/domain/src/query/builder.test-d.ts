// Type-level tests, checked by `pnpm run typecheck` (tsc) and `vitest --typecheck`.
import { describe, expectTypeOf, it } from 'vitest';
import {
  searchConditions,
  type FieldConstraints,
  type SearchConditionsBuilder,
} from './builder.js';
import type { SearchConditions, SearchFieldName } from './types.js';

describe('field names', () => {
  it('accepts the vendor incident fields and CustomField<n>', () => {
    expectTypeOf(searchConditions().where('Title')).toEqualTypeOf<FieldConstraints>();
    expectTypeOf(searchConditions().where('CreatedUtcTime')).toEqualTypeOf<FieldConstraints>();
    expectTypeOf(searchConditions().where('CustomField12')).toEqualTypeOf<FieldConstraints>();
    expectTypeOf<'Severity'>().toExtend<SearchFieldName>();
    expectTypeOf<`CustomField${number}`>().toExtend<SearchFieldName>();
  });

  it('makes a typo in a known field name a type error', () => {
    expectTypeOf<'Titel'>().not.toExtend<SearchFieldName>();
    expectTypeOf<'title'>().not.toExtend<SearchFieldName>();
    expectTypeOf<'CustomFieldX'>().not.toExtend<SearchFieldName>();
    // @ts-expect-error -- 'Titel' is not a known incident field
    searchConditions().where('Titel');
    // @ts-expect-error -- field names are case-sensitive
    searchConditions().where('severity');
  });

  it('takes any name through the escape hatch', () => {
    expectTypeOf(searchConditions().whereAny('Titel')).toEqualTypeOf<FieldConstraints>();
  });
});

describe('constraints', () => {
  it('return the builder, so calls chain, and toJSON gives SearchConditions', () => {
    expectTypeOf(
      searchConditions().where('Title').equals('x'),
    ).toEqualTypeOf<SearchConditionsBuilder>();
    expectTypeOf(
      searchConditions().where('Title').equals('x').toJSON(),
    ).toEqualTypeOf<SearchConditions>();
  });

  it('type their arguments', () => {
    // @ts-expect-error -- equals takes a string or a number
    searchConditions().where('Title').equals(true);
    // @ts-expect-error -- in takes an array
    searchConditions().where('Severity').in('High');
    // @ts-expect-error -- dates are Date, number or string
    searchConditions().where('CreatedUtcTime').after({});
  });
});
