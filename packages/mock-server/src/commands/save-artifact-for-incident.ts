import { validateArtifacts } from '@d3soar/domain/artifacts';
import type { CommandHandler } from '../app.js';
import { commandFailure, jsonResponse } from '../responses.js';
import { createIndex, incidentKey } from '../state.js';
import type { MockState } from '../types.js';
import type { ArtifactStore, DetectedItem } from './artifact-store.js';

/**
 * SaveArtifactForIncident: detects each item's type with `@d3soar/domain/artifacts` when
 * `Artifact Type` is blank (or checks it fits the given type), then adds each artifact to the
 * incident or updates the one with the same identity. All or nothing: an unknown incident or any
 * item that does not validate fails the whole command, naming the item.
 */
export function createSaveArtifactForIncident(
  state: MockState,
  store: ArtifactStore,
): CommandHandler<'SaveArtifactForIncident'> {
  const findIncident = createIndex(
    () => state.incidents,
    (incident) => incidentKey(incident.Site, incident.Number),
  );

  return ({ Site, CommandParams }) => {
    const params = CommandParams;
    const number = params['Incident Number'];
    if (findIncident(incidentKey(Site, number)) === undefined) {
      return commandFailure(
        'SaveArtifactForIncident',
        `Incident ${number} was not found in site '${Site}'.`,
      );
    }
    const typeName = params['Artifact Type'];
    const results = validateArtifacts(typeName, params['Artifact Fields']);
    const problems = results.flatMap((result) =>
      result.ok
        ? []
        : [`Artifact Fields[${result.index}]: ${result.error.message.replace(/\.$/, '')}.`],
    );
    if (problems.length > 0) return commandFailure('SaveArtifactForIncident', problems.join(' '));

    const contextData = (results as DetectedItem[]).map((item) =>
      store.upsert(Site, number, typeName, item),
    );
    return jsonResponse(200, { error: '', returnData: 'Successful', contextData });
  };
}
