import {
  AttackLookupError,
  pairTechniquesWithTactics,
  toD3Values,
  type AttackCatalog,
  type Technique,
} from '@d3soar/domain/attack';
import type { D3ValidationIssue } from '../errors.js';
import { show } from './envelope.js';

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

/** The checked, resolved form of a {@link SetEventTechniquesInput}. */
export interface PreparedTechniques {
  eventIds: number[];
  tactics: string[];
  techniques: string[];
  /** Requested techniques that belong to none of the requested tactics (D3 stores nothing for them). */
  unpaired: Technique[];
}

/**
 * Checks the input and resolves ATT&CK names, collecting every problem (with suggestions from the
 * catalog) instead of stopping at the first. Returns `undefined` when any issue was added.
 */
export function prepareSetEventTechniques(
  input: SetEventTechniquesInput,
  catalog: AttackCatalog,
  issues: D3ValidationIssue[],
): PreparedTechniques | undefined {
  const before = issues.length;
  const eventIds = checkEventIds(input.eventIds, issues);
  const tactics = checkNames('tactics', input.tactics, issues, (name) => catalog.tactic(name));
  const techniques = checkNames('techniques', input.techniques, issues, (name) =>
    catalog.technique(name),
  );
  const as = input.as ?? 'name';
  if (as !== 'id' && as !== 'name') {
    issues.push({ path: 'as', message: `must be 'id' or 'name', got ${show(as)}` });
  }
  if (tactics.length === 0 && techniques.length === 0 && issues.length === before) {
    issues.push({ path: 'techniques', message: 'give at least one tactic or technique to set' });
  }
  if (issues.length > before) return undefined;

  // Already resolved above (to report every problem); the domain functions re-check by ID,
  // which is cheap, and own the de-duplication and pairing rules.
  const request = { tactics, techniques };
  const values = toD3Values(catalog, request, { as });
  return { eventIds, ...values, unpaired: pairTechniquesWithTactics(catalog, request).unpaired };
}

function checkEventIds(value: unknown, issues: D3ValidationIssue[]): number[] {
  if (!Array.isArray(value) || value.length === 0) {
    issues.push({
      path: 'eventIds',
      message: `must be a non-empty array of event IDs, got ${show(value)}`,
    });
    return [];
  }
  const seen = new Set<number>();
  const ids: number[] = [];
  value.forEach((id: unknown, index) => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) {
      issues.push({
        path: `eventIds.${index}`,
        message: `must be a positive integer, got ${show(id)}`,
      });
    } else if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  });
  return ids;
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
  value.forEach((name: unknown, index) => {
    if (typeof name !== 'string' || name.trim() === '') {
      issues.push({
        path: `${path}.${index}`,
        message: `must be a non-empty string, got ${show(name)}`,
      });
      return;
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
  });
  return resolved;
}
