import {
  AttackLookupError,
  d3RequestOf,
  getEnterpriseAttackCatalog,
  type AttackCatalog,
  type Tactic,
  type TacticTechniquePair,
  type Technique,
} from '@d3soar/domain/attack';
import { chunk } from '../concurrency.js';
import { checked, type D3ValidationIssue } from '../errors.js';
import type { SetEventTechniquesCommandParams } from '../types.js';
import { filled, show } from './envelope.js';
import {
  checkedBatchSize,
  DEFAULT_BATCH_SIZE,
  handedOut,
  preparedCall,
  type PreparedCall,
} from './prepared.js';
import { techniqueWarnings, type D3Warning } from './warnings.js';

/** Input of `client.setEventTechniques`. */
export interface SetEventTechniquesInput {
  /** The events to tag (positive integers; duplicates are sent once). */
  eventIds: readonly number[];
  /** Tactics by ATT&CK ID, name or shortname (`TA0002`, `Execution`, `execution`). */
  tactics?: readonly string[];
  /** Techniques by ATT&CK ID, name or `Parent: Sub` name (`T1569`, `Valid Accounts: Cloud Accounts`). */
  techniques?: readonly string[];
  /** Send resolved names (`'name'`, default, as the vendor sample does) or ATT&CK IDs (`'id'`). */
  as?: 'id' | 'name';
}

/** One tactic input and the tactic it resolved to. */
export interface ResolvedTactic {
  /** The input as given, e.g. `TA0002` or `execution`. */
  input: string;
  tactic: Tactic;
}

/**
 * One technique input and the technique it resolved to. `technique.replaces` lists the revoked
 * techniques followed to reach it; `technique.deprecated` flags one MITRE no longer maintains.
 */
export interface ResolvedTechnique {
  /** The input as given, e.g. `T1569` or `Valid Accounts: Cloud Accounts`. */
  input: string;
  technique: Technique;
}

/** What `setEventTechniques` sends for an input, and how each input resolved. */
export interface SetEventTechniquesPreview {
  /**
   * The `CommandParams` for every event ID (resolved, de-duplicated). The client splits
   * `Event IDs` into requests of at most `batchSize`, each with the same `Tactics`/`Techniques`.
   */
  params: SetEventTechniquesCommandParams;
  /** Every tactic and technique input, in input order, with what it resolved to. */
  resolved: { tactics: ResolvedTactic[]; techniques: ResolvedTechnique[] };
  /** The tactic–technique pairs D3 stores on each event. */
  pairs: TacticTechniquePair[];
  /** Requested techniques that belong to none of the requested tactics (D3 stores nothing for them). */
  unpaired: Technique[];
  /**
   * What D3 may not do as asked, never refused: `unpaired-technique`, `deprecated-technique`,
   * `revoked-technique` (see the README's rules).
   */
  warnings: D3Warning[];
  /**
   * The requests, one per batch of at most `batchSize` event IDs, each with the same `Tactics`
   * and `Techniques`: what `client.send(preview)` sends.
   */
  call: PreparedCall<'SetEventTechniques'>;
}

/** Options of {@link previewSetEventTechniques}. */
export interface PreviewSetEventTechniquesOptions {
  /** The ATT&CK catalog to resolve with (default: the bundled enterprise catalog, as the client). */
  attackCatalog?: AttackCatalog | undefined;
  /** Most event IDs per request of the prepared call (default 500, as the client). */
  batchSize?: number | undefined;
}

/**
 * What `client.setEventTechniques(input)` would send, without sending anything: the
 * `CommandParams` (all event IDs; the client splits them into batches), how each tactic and
 * technique input resolved (revoked IDs followed are in `technique.replaces`), the pairs D3
 * stores and the unpaired techniques. Resolves exactly as the client does.
 * @throws {D3ValidationError} listing every problem, as the call would.
 */
export function previewSetEventTechniques(
  input: SetEventTechniquesInput,
  options: PreviewSetEventTechniquesOptions = {},
): SetEventTechniquesPreview {
  const batchSize = checkedBatchSize(options.batchSize);
  return handedOut(
    checked('SetEventTechniques', (issues) =>
      prepareSetEventTechniques(input, issues, options.attackCatalog, batchSize),
    ),
  );
}

/**
 * Checks the input and resolves ATT&CK names, collecting every problem (with suggestions from the
 * catalog) instead of stopping at the first. Returns `undefined` when any issue was added.
 */
export function prepareSetEventTechniques(
  input: SetEventTechniquesInput,
  issues: D3ValidationIssue[],
  // Built on first use and shared afterwards by the domain package.
  catalog = getEnterpriseAttackCatalog(),
  batchSize = DEFAULT_BATCH_SIZE,
): SetEventTechniquesPreview | undefined {
  const before = issues.length;
  const eventIds = checkEventIds(input.eventIds, issues);
  const tactics = checkNames('tactics', input.tactics, issues, (name) => ({
    input: name,
    tactic: catalog.tactic(name),
  }));
  const techniques = checkNames('techniques', input.techniques, issues, (name) => ({
    input: name,
    technique: catalog.technique(name),
  }));
  // `unknown`: JavaScript callers may pass anything, and that is reported.
  const given: unknown = input.as ?? 'name';
  if (given !== 'id' && given !== 'name') {
    issues.push({ path: 'as', message: `must be 'id' or 'name', got ${show(given)}` });
  }
  const as = given === 'id' ? 'id' : 'name';
  if (tactics.length === 0 && techniques.length === 0 && issues.length === before) {
    issues.push({ path: 'techniques', message: 'give at least one tactic or technique to set' });
  }
  if (issues.length > before) return undefined;
  // Resolved once, above (to report every problem); the domain owns the de-duplication and
  // pairing rules.
  const values = d3RequestOf(
    {
      tactics: tactics.map((t) => t.tactic),
      techniques: techniques.map((t) => t.technique),
    },
    as,
  );
  // An empty list is left out of the request (D3 reads a missing list as "leave as is").
  const params: SetEventTechniquesCommandParams = { 'Event IDs': eventIds };
  if (values.tactics.length) params.Tactics = values.tactics;
  if (values.techniques.length) params.Techniques = values.techniques;
  const batches =
    eventIds.length <= batchSize
      ? [{ params, items: eventIds.length }]
      : chunk(eventIds, batchSize).map((ids) => ({
          params: { ...params, 'Event IDs': ids },
          items: ids.length,
        }));
  return {
    params,
    resolved: { tactics, techniques },
    pairs: values.pairs,
    unpaired: values.unpaired,
    warnings: techniqueWarnings(techniques, values.unpaired),
    call: preparedCall('SetEventTechniques', batches),
  };
}

function checkEventIds(value: unknown, issues: D3ValidationIssue[]): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({
      path: 'eventIds',
      message: `must be a non-empty array, got ${show(value)}`,
    });
    return [];
  }
  // De-duplicated in first-seen order (a Set keeps insertion order).
  const ids = new Set<number>();
  for (let index = 0; index < value.length; index++) {
    const id: unknown = value[index];
    // A hole in a sparse array is skipped, as forEach would.
    if (id === undefined && !(index in value)) continue;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id > 0) ids.add(id);
    else
      issues.push({
        path: `eventIds.${index}`,
        message: `must be a positive integer, got ${show(id)}`,
      });
  }
  return [...ids];
}

function checkNames<T>(
  path: string,
  value: unknown,
  issues: D3ValidationIssue[],
  resolve: (name: string) => T,
): T[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    issues.push({ path, message: `must be an array of strings, got ${show(value)}` });
    return [];
  }
  const resolved: T[] = [];
  for (let index = 0; index < value.length; index++) {
    const name: unknown = value[index];
    if (name === undefined && !(index in value)) continue;
    if (!filled(name)) {
      issues.push({
        path: `${path}.${index}`,
        message: `must be a non-empty string, got ${show(name)}`,
      });
      continue;
    }
    try {
      resolved.push(resolve(name));
    } catch (error) {
      if (!(error instanceof AttackLookupError)) throw error;
      issues.push({
        path: `${path}.${index}`,
        message: error.message,
        suggestions: error.candidates.slice(0, 5).map((c) => `${c.id} ${c.d3Name}`),
      });
    }
  }
  return resolved;
}
