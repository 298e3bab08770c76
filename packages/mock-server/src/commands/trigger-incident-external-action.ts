import { nowIso, parseTimestamp } from '@d3soar/support';
import {
  parseSearchConditions,
  QueryError,
  type CheckedSearchConditions,
} from '@d3soar/domain/query';
import { compileIncidentMatcher } from '@d3soar/domain/query/match';
import type { CommandHandler } from '../app.js';
import { commandFailure, jsonResponse } from '../responses.js';
import type { SearchPool } from '../search/search-pool.js';
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
 * Conditions with a `$regex` may cost unbounded time to match: they go to the search pool, which
 * checks them there (the one check on this side). Told from the body the contract check let
 * through, without checking the grammar here.
 */
function hasPattern(conditions: unknown): boolean {
  return (
    typeof conditions === 'object' &&
    conditions !== null &&
    Object.values(conditions).some(
      (condition) => typeof condition === 'object' && condition !== null && '$regex' in condition,
    )
  );
}

/** How the search is run: costly ones in a worker, under a deadline from the request's arrival. */
export interface SearchRunner {
  readonly pool: SearchPool;
  readonly deadlineMs: number;
}

/**
 * TriggerIncidentExternalAction: finds the first incident of the site (by `CreatedUtcTime`, then
 * `IncidentId`) matching the Search Conditions (`@d3soar/domain/query`, MongoDB semantics), starts
 * each of the site's playbooks with the `On Incident External Action` trigger (a new `RuntimeId`
 * each) and records the runs in `state.playbookRuns`.
 *
 * Conditions are checked once. Those with a `$regex` are matched in the search pool with
 * JavaScript's whole regular-expression language (lookaround, backreferences), as D3's own
 * backtracking engine takes them, under the deadline; others are matched at once, here.
 */
export function createTriggerIncidentExternalAction(
  state: MockState,
  search: SearchRunner,
  firstRuntimeId = 287,
): CommandHandler<'TriggerIncidentExternalAction'> {
  let nextRuntimeId = firstRuntimeId;

  /** The first incident of the site the conditions match, by creation time then IncidentId. */
  async function firstMatch(
    site: string,
    conditions: unknown,
    arrivedAt: number,
  ): Promise<MockIncident | undefined | { error: string }> {
    const candidates = state.incidents
      .filter((incident) => incident.Site === site)
      .map((incident) => ({ incident, at: createdAt(incident) }))
      .sort((a, b) => a.at - b.at || a.incident.IncidentId - b.incident.IncidentId)
      .map(({ incident }) => incident);
    if (!hasPattern(conditions)) {
      // Equality, $in and dates cost time linear in the incidents: checked and matched here.
      let checked: CheckedSearchConditions;
      try {
        checked = parseSearchConditions(conditions);
      } catch (error) {
        if (!(error instanceof QueryError)) throw error;
        return { error: error.message };
      }
      const matches = compileIncidentMatcher(checked);
      return candidates.find((incident) => matches(incident));
    }
    // Checked and compiled once, in the worker.
    const outcome = await search.pool.first(conditions, candidates, arrivedAt + search.deadlineMs);
    if (outcome.kind === 'deadline') {
      return {
        error: `Search Conditions: the search did not finish within the mock's limit of ${search.deadlineMs} ms (option searchDeadlineMs); D3 sets no such limit, but a pattern this costly may also be slow there`,
      };
    }
    if (outcome.kind === 'refused') return { error: outcome.message };
    return candidates[outcome.index];
  }

  return async ({ Username, Site, CommandParams }, { arrivedAt }) => {
    const params = CommandParams;
    const first = await firstMatch(Site, params['Search Conditions'], arrivedAt);
    if (first !== undefined && 'error' in first) {
      return commandFailure('TriggerIncidentExternalAction', first.error);
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
