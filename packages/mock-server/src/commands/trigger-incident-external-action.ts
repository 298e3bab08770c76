import {
  compileIncidentMatcher,
  parseSearchConditions,
  QueryError,
  type IncidentMatcher,
} from '@d3soar/domain/query';
import type { CommandHandler } from '../app.js';
import { commandFailure, jsonResponse } from '../responses.js';
import { externalActionTrigger, type MockIncident, type MockState } from '../types.js';

interface Params {
  'Search Conditions': Record<string, unknown>;
  'Trigger Data': Record<string, unknown>;
}

function createdAt(incident: MockIncident): number {
  const time = Date.parse(incident.CreatedUtcTime);
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time;
}

/** How many distinct Search Conditions keep their compiled matcher (clients repeat theirs). */
const matcherCacheSize = 256;

/**
 * Parses Search Conditions with the ReDoS guard on and compiles them once; the outcome (a matcher,
 * or the `QueryError` message) is cached by the conditions' JSON text.
 */
function createMatcherCache(): (conditions: unknown) => IncidentMatcher | { error: string } {
  const cache = new Map<string, IncidentMatcher | { error: string }>();
  return (conditions) => {
    const key = JSON.stringify(conditions);
    let entry = cache.get(key);
    if (entry === undefined) {
      try {
        entry = compileIncidentMatcher(
          parseSearchConditions(conditions, { rejectUnsafeRegex: true }),
        );
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        // The domain's messages name the offending value's path (`/Title/$regex`).
        entry = { error: error.message };
      }
      if (cache.size >= matcherCacheSize) cache.delete(cache.keys().next().value as string);
      cache.set(key, entry);
    }
    return entry;
  };
}

function nowIso(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * TriggerIncidentExternalAction: finds the first incident of the site (by `CreatedUtcTime`, then
 * `IncidentId`) matching the Search Conditions (`@d3soar/domain/query`, MongoDB semantics), starts
 * each of the site's playbooks with the `On Incident External Action` trigger (a new `RuntimeId`
 * each) and records the runs in `state.playbookRuns`.
 *
 * `$regex` patterns are checked with the domain's ReDoS guard (`rejectUnsafeRegex`) before any
 * incident is matched: a pattern that could backtrack catastrophically is a command-level failure.
 */
export function createTriggerIncidentExternalAction(
  state: MockState,
  firstRuntimeId = 287,
): CommandHandler {
  let nextRuntimeId = firstRuntimeId;
  const matcherFor = createMatcherCache();

  return ({ Username, Site, CommandParams }) => {
    const params = CommandParams as unknown as Params;
    const matches = matcherFor(params['Search Conditions']);
    if (typeof matches !== 'function') {
      return commandFailure('TriggerIncidentExternalAction', matches.error);
    }

    let first: MockIncident | undefined;
    for (const incident of state.incidents) {
      if (incident.Site !== Site || !matches(incident)) continue;
      const earlier =
        first === undefined ||
        createdAt(incident) < createdAt(first) ||
        (createdAt(incident) === createdAt(first) && incident.IncidentId < first.IncidentId);
      if (earlier) first = incident;
    }
    if (first === undefined) {
      return commandFailure(
        'TriggerIncidentExternalAction',
        `No incident in site '${Site}' matches the search conditions.`,
      );
    }

    // One snapshot per trigger, shared by its runs: later edits to the incident do not show.
    const incident = structuredClone(first);
    const triggerData = structuredClone(params['Trigger Data']);
    const startedAt = nowIso();
    const triggered = state.playbooks
      .filter(
        (playbook) => playbook.Site === Site && playbook.Triggers.includes(externalActionTrigger),
      )
      .map((playbook) => {
        const RuntimeId = nextRuntimeId++;
        state.playbookRuns.push({
          RuntimeId,
          PlaybookId: playbook.PlaybookId,
          PlaybookName: playbook.PlaybookName,
          Site,
          Username,
          Incident: incident,
          TriggerData: triggerData,
          StartedUtcTime: startedAt,
        });
        return { RuntimeId, PlaybookName: playbook.PlaybookName };
      });

    return jsonResponse(200, {
      error: '',
      returnData: {
        Status: 'Successful',
        Data: {
          IncidentId: incident.IncidentId,
          IncidentNo: incident.Number,
          TriggeredPlaybooks: triggered,
        },
      },
    });
  };
}
