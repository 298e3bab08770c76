/**
 * Helpers shared by the d3soar packages, each with one meaning wherever it is used. Published so
 * that the packages can depend on it; its API follows semver like theirs, but it is meant for
 * them rather than for applications.
 *
 * @packageDocumentation
 */
export { deepFreeze } from './deep-freeze.js';
export { describeValue } from './describe-value.js';
export { isPlainObject, UNSAFE_KEYS } from './plain-object.js';
export { isoSeconds, nowIso, parseTimestamp } from './timestamps.js';
export type { D3Warning } from './warning.js';
