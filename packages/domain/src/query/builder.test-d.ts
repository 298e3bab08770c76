// Type-level tests, checked by `pnpm run typecheck` (tsc) and `vitest --typecheck`.
import { describe, expectTypeOf, it } from 'vitest';
import {
  searchConditions,
  type FieldConstraints,
  type SearchConditionsBuilder,
} from './builder.js';
import type { CheckedSearchConditions } from './checked.js';
import { compileIncidentMatcher } from './match/match.js';
import { parseSearchConditions } from './parse.js';
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
  it('return the builder, so calls chain, and toJSON gives checked SearchConditions', () => {
    expectTypeOf(
      searchConditions().where('Title').equals('x'),
    ).toEqualTypeOf<SearchConditionsBuilder>();
    expectTypeOf(
      searchConditions().where('Title').equals('x').toJSON(),
    ).toEqualTypeOf<CheckedSearchConditions>();
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

describe('CheckedSearchConditions', () => {
  it('comes from the parser and the builder, and goes wherever SearchConditions or JSON go', () => {
    expectTypeOf(parseSearchConditions('{}')).toEqualTypeOf<CheckedSearchConditions>();
    expectTypeOf<CheckedSearchConditions>().toExtend<SearchConditions>();
    expectTypeOf<CheckedSearchConditions>().toExtend<Record<string, unknown>>();
    const sent: { 'Search Conditions': SearchConditions } = {
      'Search Conditions': searchConditions().where('Title').equals('x').toJSON(),
    };
    expectTypeOf(sent).not.toBeAny();
  });

  it('cannot be made by hand, so the matcher only ever gets checked conditions', () => {
    expectTypeOf<SearchConditions>().not.toExtend<CheckedSearchConditions>();
    expectTypeOf<{ Title: 'x' }>().not.toExtend<CheckedSearchConditions>();
    // @ts-expect-error -- plain conditions must go through parseSearchConditions first
    compileIncidentMatcher({ Title: 'x' });
    compileIncidentMatcher(parseSearchConditions({ Title: 'x' }));
  });

  it('is read-only', () => {
    const checked = parseSearchConditions({ Title: 'x' });
    // @ts-expect-error -- checked conditions are frozen
    checked['Title'] = 'y';
  });
});
