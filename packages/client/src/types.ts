/**
 * The contract's types, from `@d3soar/openapi/contract` (generated there from the OpenAPI
 * document), under the names this package has always exported. Nothing here restates the
 * contract: a change to the document reaches these types with no step in this package.
 */
import type {
  CommandParamsOf,
  SetEventTechniquesSuccess,
  TriggerIncidentExternalActionSuccess,
  components,
  OperationId,
  OperationPath,
  RequestBodyOf,
  ResponseBodyOf,
} from '@d3soar/openapi/contract';

type Schemas = components['schemas'];

export type { components, operations, paths } from '@d3soar/openapi/contract';
export type {
  ArtifactFieldSet,
  CommandFailure,
  ErrorResponse,
  EventTechniques,
  SearchConditions,
  SetEventTechniquesSuccess,
  TechniqueAssignment,
  TriggerData,
  TriggeredIncident,
  TriggerIncidentExternalActionSuccess,
} from '@d3soar/openapi/contract';

/** The three command paths, relative to the API root. */
export type CommandPath = OperationPath;

/** The command names (operationIds): `SetEventTechniques`, … */
export type CommandName = OperationId;

/** The request body of a command: `{ Username, Site, CommandParams }`. */
export type CommandRequest<C extends CommandName> = RequestBodyOf<C>;

/** The `CommandParams` of a command's request. */
export type CommandParams<C extends CommandName> = CommandParamsOf<C>;

/**
 * What D3 did with one artifact (`Add`/`Update`, details or `{ Old, New }`), as the client returns
 * it: `ArtifactName` always set. The vendor's own sample spells it `Artifactname`, which the
 * client reads as `ArtifactName`; a missing name is `''`.
 */
export type ArtifactResult = Omit<Schemas['ArtifactResult'], 'ArtifactName' | 'Artifactname'> & {
  ArtifactName: string;
};

/** A successful 200 body of SaveArtifactForIncident, with every result's `ArtifactName` set. */
export type SaveArtifactForIncidentSuccess = Omit<
  Schemas['SaveArtifactForIncidentSuccess'],
  'contextData'
> & { contextData: ArtifactResult[] };

/** The successful 200 body of each command, as the client returns it. */
interface CommandSuccesses {
  SetEventTechniques: SetEventTechniquesSuccess;
  SaveArtifactForIncident: SaveArtifactForIncidentSuccess;
  TriggerIncidentExternalAction: TriggerIncidentExternalActionSuccess;
}

/** The successful 200 body of a command (`error` is `""`). */
export type CommandSuccess<C extends CommandName> = CommandSuccesses[C];

/** `CommandParams` of SetEventTechniques: `Event IDs`, `Tactics`, `Techniques`. */
export type SetEventTechniquesCommandParams = Schemas['SetEventTechniquesCommandParams'];
/** `CommandParams` of SaveArtifactForIncident: `Artifact Type`, `Artifact Fields`, `Incident Number`. */
export type SaveArtifactForIncidentCommandParams = Schemas['SaveArtifactForIncidentCommandParams'];
/** `CommandParams` of TriggerIncidentExternalAction: `Search Conditions`, `Trigger Data`. */
export type TriggerIncidentExternalActionCommandParams =
  Schemas['TriggerIncidentExternalActionCommandParams'];

/** Request body of SetEventTechniques: `{ Username, Site, CommandParams }`. */
export type SetEventTechniquesRequest = RequestBodyOf<'SetEventTechniques'>;
/** 200 body of SetEventTechniques: a success or a command-level failure. */
export type SetEventTechniquesResponse = ResponseBodyOf<'SetEventTechniques'>;

/** Request body of SaveArtifactForIncident. */
export type SaveArtifactForIncidentRequest = RequestBodyOf<'SaveArtifactForIncident'>;
/** 200 body of SaveArtifactForIncident: a success or a command-level failure. */
export type SaveArtifactForIncidentResponse = ResponseBodyOf<'SaveArtifactForIncident'>;

/** Request body of TriggerIncidentExternalAction. */
export type TriggerIncidentExternalActionRequest = RequestBodyOf<'TriggerIncidentExternalAction'>;
/** 200 body of TriggerIncidentExternalAction: a success or a command-level failure. */
export type TriggerIncidentExternalActionResponse = ResponseBodyOf<'TriggerIncidentExternalAction'>;
