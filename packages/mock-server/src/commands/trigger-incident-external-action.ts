import { nowIso, parseTimestamp } from '@d3soar/support';
import { parseSearchConditions, QueryError } from '@d3soar/domain/query';
import { compileIncidentMatcher, type IncidentMatcher } from '@d3soar/domain/query/match';
import type { CommandHandler } from '../app.js';
import { commandFailure, jsonResponse } from '../responses.js';
import { externalActionTrigger, type MockIncident, type MockState } from '../types.js';

/**
 * An incident's creation instant, read as the matcher reads it (no offset → UTC), so the order does
 * not depend on the machine's time zone. Seeds are checked to carry an offset; an incident a test
 * pushed with an unreadable time sorts last.
 */
function createdAt(incident: MockIncident): number {
  const value: unknown = incident.CreatedUtcTime;
  const time = typeof value === 'string' ? parseTimestamp(value.trim(), 'assume-utc') : null;
  return time ?? Number.POSITIVE_INFINITY;
}

/**
 * Checks the Search Conditions once, then compiles them from that checked value with the ReDoS
 * guard on; a `QueryError` becomes its message, which names the offending value's path
 * (`/Title/$regex`). Nothing is cached: a request's conditions are checked and compiled once, and
 * that is all the work there is.
 */
function matcherFor(conditions: unknown): IncidentMatcher | { error: string } {
  try {
    return compileIncidentMatcher(parseSearchConditions(conditions), { rejectUnsafeRegex: true });
  } catch (error) {
    if (!(error instanceof QueryError)) throw error;
    return { error: error.message };
  }
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
): CommandHandler<'TriggerIncidentExternalAction'> {
  let nextRuntimeId = firstRuntimeId;

  return ({ Username, Site, CommandParams }) => {
    const params = CommandParams;
    const matches = matcherFor(params['Search Conditions']);
    if (typeof matches !== 'function') {
      return commandFailure('TriggerIncidentExternalAction', matches.error);
    }

    let first: MockIncident | undefined;
    let firstAt = Number.POSITIVE_INFINITY;
    for (const incident of state.incidents) {
      if (incident.Site !== Site || !matches(incident)) continue;
      const at = createdAt(incident);
      const earlier =
        first === undefined ||
        at < firstAt ||
        (at === firstAt && incident.IncidentId < first.IncidentId);
      if (earlier) {
        first = incident;
        firstAt = at;
      }
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
