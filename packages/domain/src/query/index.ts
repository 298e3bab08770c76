/**
 * `@d3soar/domain/query`: TriggerIncidentExternalAction's `Search Conditions` — a typed builder,
 * a validating parser, MongoDB-semantics matching against incidents, and regex helpers.
 *
 * @packageDocumentation
 */
export { searchConditions, SearchConditionsBuilder, type FieldConstraints } from './builder.js';
export type { DateInput } from './dates.js';
export { QueryError, type QueryErrorCode } from './errors.js';
export { compileIncidentMatcher, matchesIncident, type IncidentMatcher } from './match.js';
export { parseSearchConditions, type ParseSearchConditionsOptions } from './parse.js';
export { checkRegexSafety, escapeRegex, type RegexSafetyOptions } from './regex.js';
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
