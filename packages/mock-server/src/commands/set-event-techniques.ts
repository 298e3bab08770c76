import {
  AttackLookupError,
  getAttackCatalog,
  pairTechniquesWithTactics,
  type AttackCatalog,
  type Tactic,
  type Technique,
} from '@d3soar/domain/attack';
import type { CommandHandler } from '../app.js';
import { attackGuid } from '../guid.js';
import { commandFailure, jsonResponse } from '../responses.js';
import { createIndex, eventKey } from '../state.js';
import type { MockState, MockTechniquePair } from '../types.js';

/** Resolves every input, collecting each failure's message rather than stopping at the first. */
function resolveAll<T>(
  inputs: readonly string[],
  resolve: (input: string) => T,
  problems: string[],
): T[] {
  const resolved: T[] = [];
  for (const input of inputs) {
    try {
      resolved.push(resolve(input));
    } catch (error) {
      if (!(error instanceof AttackLookupError)) throw error;
      problems.push(error.message);
    }
  }
  return resolved;
}

function toStoredPair(tactic: Tactic, technique: Technique): MockTechniquePair {
  return {
    TacticId: attackGuid(tactic.id),
    TacticName: tactic.name,
    TechniqueId: attackGuid(technique.id),
    TechniqueName: technique.d3Name,
    AttackTacticId: tactic.id,
    AttackTechniqueId: technique.id,
  };
}

/**
 * SetEventTechniques: resolves the tactics and techniques with the enterprise ATT&CK catalog,
 * pairs them as D3 does (`pairTechniquesWithTactics`) and adds the pairs to each event. All or
 * nothing: an unknown event ID or an unresolvable name fails the whole command, naming each one.
 */
export function createSetEventTechniques(
  state: MockState,
  catalog: AttackCatalog = getAttackCatalog('enterprise'),
): CommandHandler<'SetEventTechniques'> {
  const findEvent = createIndex(
    () => state.events,
    (event) => eventKey(event.Site, event.EventId),
  );

  return ({ Site, CommandParams }) => {
    const params = CommandParams;
    const eventIds = [...new Set(params['Event IDs'])];
    const problems: string[] = [];

    const events = eventIds.map((id) => findEvent(eventKey(Site, id)));
    const missing = eventIds.filter((_, i) => events[i] === undefined);
    if (missing.length > 0) {
      problems.push(`Event IDs not found in site '${Site}': ${missing.join(', ')}.`);
    }
    const tactics = resolveAll(params.Tactics ?? [], (input) => catalog.tactic(input), problems);
    const techniques = resolveAll(
      params.Techniques ?? [],
      (input) => catalog.technique(input),
      problems,
    );
    if (problems.length > 0) return commandFailure('SetEventTechniques', problems.join(' '));

    const { pairs } = pairTechniquesWithTactics(catalog, { tactics, techniques });
    const stored = pairs.map(({ tactic, technique }) => toStoredPair(tactic, technique));
    const answered = stored.map(({ TacticId, TacticName, TechniqueId, TechniqueName }) => ({
      TacticId,
      TacticName,
      TechniqueId,
      TechniqueName,
    }));

    for (const event of events) {
      if (event === undefined) continue;
      const present = new Set(event.Techniques.map((p) => `${p.TacticId}/${p.TechniqueId}`));
      for (const pair of stored) {
        const key = `${pair.TacticId}/${pair.TechniqueId}`;
        if (!present.has(key)) {
          present.add(key);
          event.Techniques.push({ ...pair });
        }
      }
    }

    return jsonResponse(200, {
      error: '',
      returnData: 'Successful',
      contextData: eventIds.map((EventId) => ({ EventId, techniques: answered })),
    });
  };
}
