/**
 * `@d3soar/domain/query`: TriggerIncidentExternalAction's `Search Conditions` — a typed builder
 * and a validating parser, both giving `CheckedSearchConditions`. Matching incidents lives in
 * `@d3soar/domain/query/match`.
 *
 * @packageDocumentation
 */
export { searchConditions, SearchConditionsBuilder, type FieldConstraints } from './builder.js';
export type { CheckedSearchConditions } from './checked.js';
export type { DateInput } from './dates.js';
export { QueryError, type QueryErrorCode } from './errors.js';
export { parseSearchConditions, type ParseSearchConditionsOptions } from './parse.js';
export { escapeRegex } from './regex.js';
export { searchConditionWarnings } from './warnings.js';
export type { D3Warning } from '@d3soar/support';
export {
  DATE_OPERATORS,
  INCIDENT_FIELD_NAMES,
  type CustomFieldName,
  type DateOperator,
  type IncidentFieldName,
  type SearchBound,
  type SearchCondition,
  type SearchConditions,
  type SearchDate,
  type SearchFieldName,
  type SearchOperators,
  type SearchScalar,
} from './types.js';
/*
 * Kept for code that still imports the matcher from here (it moved to `./query/match`). A bundler
 * that honours `sideEffects: false` leaves it out when unused; Node loads it on import.
 */
export {
  /** @deprecated Import it from `@d3soar/domain/query/match`. */
  compileIncidentMatcher,
  /** @deprecated Import it from `@d3soar/domain/query/match`. */
  matchesIncident,
  /** @deprecated Import it from `@d3soar/domain/query/match`. */
  type IncidentMatcher,
} from './match/index.js';
