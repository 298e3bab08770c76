// fast-check arbitraries for the Search Conditions builder, shared by the query property tests.
// Not part of the built package.
import fc from 'fast-check';
import { searchConditions, type SearchConditionsBuilder } from '../query/builder.js';
import { escapeRegex } from '../query/regex.js';
import { INCIDENT_FIELD_NAMES } from '../query/types.js';

const scalar = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
// Numbers before 2000 are refused as probable epoch seconds, so instants start there.
const instant = fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2100, 0, 1) });
const dateInput = instant.chain((ms) =>
  fc.constantFrom<Date | number | string>(
    new Date(ms),
    ms,
    new Date(ms).toISOString(),
    `${new Date(ms).toISOString().slice(0, 19)}+00:00`,
  ),
);

/** One field's constraint (D3 takes one kind per field), as the call to make on `where(field)`. */
type FieldPlan =
  | { equals: string | number }
  | { in: (string | number)[] }
  | { matches: RegExp | string }
  | { range: { low: number; high: number; kind: 'between' | 'open' | 'closed' } };

const fieldPlan: fc.Arbitrary<FieldPlan> = fc.oneof(
  scalar.map((value) => ({ equals: value })),
  fc.array(scalar, { minLength: 1, maxLength: 4 }).map((values) => ({ in: values })),
  fc
    .oneof(
      fc.string({ maxLength: 12 }).map((text) => `^${escapeRegex(text)}`),
      fc.string({ maxLength: 12 }).map((text) => new RegExp(escapeRegex(text), 'i')),
    )
    .map((pattern) => ({ matches: pattern })),
  fc
    .tuple(
      instant,
      instant,
      fc.constantFrom('between' as const, 'open' as const, 'closed' as const),
    )
    .map(([a, b, kind]) => ({ range: { low: Math.min(a, b), high: Math.max(a, b) + 1000, kind } })),
);

const fieldName = fc.oneof(
  fc.constantFrom(...INCIDENT_FIELD_NAMES),
  fc.nat({ max: 99 }).map((n) => `CustomField${n}`),
  fc
    .string({ minLength: 1, maxLength: 10 })
    .filter(
      (name) => !name.startsWith('$') && !['__proto__', 'constructor', 'prototype'].includes(name),
    ),
);

/** A builder with one to five fields of random constraints (always at least one constraint). */
export const builtConditions: fc.Arbitrary<SearchConditionsBuilder> = fc
  .uniqueArray(fc.tuple(fieldName, fieldPlan, dateInput), {
    minLength: 1,
    maxLength: 5,
    selector: ([name]) => name,
  })
  .map((fields) => {
    const builder = searchConditions();
    for (const [name, plan, date] of fields) {
      const field = builder.whereAny(name);
      if ('equals' in plan) field.equals(plan.equals);
      else if ('in' in plan) field.in(plan.in);
      else if ('matches' in plan) field.matches(plan.matches);
      else if (plan.range.kind === 'between') field.between(plan.range.low, plan.range.high);
      else if (plan.range.kind === 'open')
        field.after(plan.range.low).whereAny(name).before(plan.range.high);
      else field.onOrAfter(date);
    }
    return builder;
  });
