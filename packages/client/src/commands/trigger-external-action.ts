import {
  parseSearchConditions,
  QueryError,
  searchConditionWarnings,
  type CheckedSearchConditions,
  type SearchConditions,
} from '@d3soar/domain/query';
import { checked, type D3ValidationIssue } from '../errors.js';
import type { TriggerData, TriggerIncidentExternalActionCommandParams } from '../types.js';
import { show } from './envelope.js';
import { handedOut, preparedCall, type PreparedCall } from './prepared.js';
import { under, type D3Warning } from './warnings.js';

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

/** What `triggerIncidentExternalAction` sends for an input. */
export interface TriggerIncidentExternalActionPreview {
  /** The `CommandParams`: `Search Conditions` is the conditions' JSON exactly as sent. */
  params: TriggerIncidentExternalActionCommandParams;
  /** The request: what `client.send(preview)` sends, without checking the conditions again. */
  call: PreparedCall<'TriggerIncidentExternalAction'>;
  /**
   * What D3 may not take, never refused, at `where.<field>…`: an operator the vendor does not
   * show, an empty `$in`, a pattern JavaScript reads differently (see the README's rules).
   */
  warnings: D3Warning[];
}

/**
 * What `client.triggerIncidentExternalAction(input)` would send, without sending anything: the
 * `CommandParams`, whose `Search Conditions` is the conditions' JSON exactly as sent.
 * @throws {D3ValidationError} listing every problem, as the call would.
 */
export function previewTriggerIncidentExternalAction(
  input: TriggerIncidentExternalActionInput,
): TriggerIncidentExternalActionPreview {
  return handedOut(
    checked('TriggerIncidentExternalAction', (issues) => prepareTrigger(input, issues)),
  );
}

/** Checks the conditions with `@d3soar/domain/query` and the trigger data's shape. */
export function prepareTrigger(
  input: TriggerIncidentExternalActionInput,
  issues: D3ValidationIssue[],
): TriggerIncidentExternalActionPreview | undefined {
  const before = issues.length;
  let conditions: CheckedSearchConditions | undefined;
  try {
    conditions = checkedConditions(input.where);
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
  const params = { 'Search Conditions': conditions, 'Trigger Data': data as TriggerData };
  return {
    params,
    call: preparedCall('TriggerIncidentExternalAction', [{ params, items: 1 }]),
    warnings: under('where', searchConditionWarnings(conditions)),
  };
}

/**
 * The conditions of `where`, checked: the one place a call parses them, once per call (a preview
 * that is then sent is not parsed again). A builder's `toJSON()` is valid by construction; once
 * `@d3soar/domain/query` brands it (`CheckedSearchConditions`), a branded value can skip the
 * parse here.
 * @throws {QueryError} when the conditions are not what D3 accepts.
 */
function checkedConditions(
  where: TriggerIncidentExternalActionInput['where'] | undefined,
): CheckedSearchConditions {
  // A builder (anything with `toJSON`) gives its conditions; plain conditions or text as is.
  const source = where as Partial<SearchConditionsSource> | undefined;
  return parseSearchConditions(typeof source?.toJSON === 'function' ? source.toJSON() : where);
}
