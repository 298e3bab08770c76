/**
 * `@d3soar/domain/query/match`: which incidents `Search Conditions` select, with MongoDB
 * semantics and `$regex` on a linear-time engine, and the ReDoS guard for servers that take
 * patterns from users. Kept apart from `@d3soar/domain/query` so that code which only builds or
 * checks conditions never loads the matcher's libraries (sift, re2js, regexpp).
 *
 * @packageDocumentation
 */
export {
  compileIncidentMatcher,
  matchesIncident,
  type CompileIncidentMatcherOptions,
  type IncidentMatcher,
} from './match.js';
export { checkRegexSafety, type RegexSafetyOptions } from './regex-safety.js';
