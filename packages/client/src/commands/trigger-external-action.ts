import { parseSearchConditions, QueryError, type SearchConditions } from '@d3soar/domain/query';
import type { D3ValidationIssue } from '../errors.js';
import type { TriggerData } from '../types.js';
import { show } from './envelope.js';

/** Anything with a `toJSON()` giving conditions: the builder from `@d3soar/domain/query` fits. */
export interface SearchConditionsSource {
  toJSON(): SearchConditions;
}

/** Input of `client.triggerIncidentExternalAction`. */
export interface TriggerIncidentExternalActionInput {
  /**
   * Which incident: a `searchConditions()` builder from `@d3soar/domain/query`, or plain
   * conditions (`{ Number: '20230413-123' }`) or their JSON text, checked with
   * `parseSearchConditions`. D3 acts on
   * the first matching incident only.
   */
  where: SearchConditionsSource | SearchConditions | string;
  /** Data handed to the incident's 'On Incident External Action' playbooks (a JSON object). */
  triggerData: TriggerData;
}

/** The checked form, ready for `CommandParams`. */
export interface PreparedTrigger {
  'Search Conditions': SearchConditions;
  'Trigger Data': TriggerData;
}

/** Checks the conditions with `@d3soar/domain/query` and the trigger data's shape. */
export function prepareTrigger(
  input: TriggerIncidentExternalActionInput,
  issues: D3ValidationIssue[],
): PreparedTrigger | undefined {
  const before = issues.length;
  let conditions: SearchConditions | undefined;
  try {
    const where: unknown = input.where;
    const json = hasToJSON(where) ? where.toJSON() : where;
    conditions = parseSearchConditions(json);
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    issues.push({ path: `where${error.path.replace(/\//g, '.')}`, message: error.message });
  }
  const data: unknown = input.triggerData;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    issues.push({ path: 'triggerData', message: `must be a JSON object, got ${show(data)}` });
  } else {
    try {
      JSON.stringify(data);
    } catch (error) {
      issues.push({
        path: 'triggerData',
        message: `must be serialisable as JSON: ${(error as Error).message}`,
      });
    }
  }
  if (issues.length > before || conditions === undefined) return undefined;
  return { 'Search Conditions': conditions, 'Trigger Data': data as TriggerData };
}

function hasToJSON(value: unknown): value is SearchConditionsSource {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
