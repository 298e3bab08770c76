import type { components, paths } from './generated/schema.js';

type Schemas = components['schemas'];
type JsonBody<Path extends keyof paths, Status extends number> = paths[Path]['post'] extends {
  responses: Record<Status, { content: { 'application/json': infer Body } }>;
}
  ? Body
  : never;
type RequestBody<Path extends keyof paths> = paths[Path]['post'] extends {
  requestBody: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

export type { components, operations, paths } from './generated/schema.js';

/** The three command paths, relative to the API root. */
export type CommandPath = keyof paths;

/** The command names (operationIds), read off the contract's paths: `SetEventTechniques`, … */
export type CommandName = CommandPath extends `/Command/${infer Name}` ? Name : never;

/** The request body of a command: `{ Username, Site, CommandParams }`. */
export type CommandRequest<C extends CommandName> = RequestBody<`/Command/${C}`>;

/** The `CommandParams` of a command's request. */
export type CommandParams<C extends CommandName> =
  CommandRequest<C> extends { CommandParams: infer Params } ? Params : never;

/** The successful 200 body of a command (`error` is `""`). */
export type CommandSuccess<C extends CommandName> = Schemas[`${C}Success`];

/** `CommandParams` of SetEventTechniques: `Event IDs`, `Tactics`, `Techniques`. */
export type SetEventTechniquesCommandParams = Schemas['SetEventTechniquesCommandParams'];
/** `CommandParams` of SaveArtifactForIncident: `Artifact Type`, `Artifact Fields`, `Incident Number`. */
export type SaveArtifactForIncidentCommandParams = Schemas['SaveArtifactForIncidentCommandParams'];
/** `CommandParams` of TriggerIncidentExternalAction: `Search Conditions`, `Trigger Data`. */
export type TriggerIncidentExternalActionCommandParams =
  Schemas['TriggerIncidentExternalActionCommandParams'];

/** Request body of SetEventTechniques: `{ Username, Site, CommandParams }`. */
export type SetEventTechniquesRequest = RequestBody<'/Command/SetEventTechniques'>;
/** 200 body of SetEventTechniques: a success or a command-level failure. */
export type SetEventTechniquesResponse = JsonBody<'/Command/SetEventTechniques', 200>;
/** A successful 200 body of SetEventTechniques (`error` is `""`). */
export type SetEventTechniquesSuccess = Schemas['SetEventTechniquesSuccess'];
/** The tactic/technique pairs set on one event. */
export type EventTechniques = Schemas['EventTechniques'];
/** One technique set on an event under one tactic, with D3's GUIDs. */
export type TechniqueAssignment = Schemas['TechniqueAssignment'];

/** Request body of SaveArtifactForIncident. */
export type SaveArtifactForIncidentRequest = RequestBody<'/Command/SaveArtifactForIncident'>;
/** 200 body of SaveArtifactForIncident: a success or a command-level failure. */
export type SaveArtifactForIncidentResponse = JsonBody<'/Command/SaveArtifactForIncident', 200>;
/** A successful 200 body of SaveArtifactForIncident. */
export type SaveArtifactForIncidentSuccess = Schemas['SaveArtifactForIncidentSuccess'];
/** The fields of one artifact as sent (system fields, or `Identity` + `Additional`). */
export type ArtifactFieldSet = Schemas['ArtifactFieldSet'];
/** What D3 did with one artifact (`Add`/`Update`, details or `{ Old, New }`). */
export type ArtifactResult = Schemas['ArtifactResult'];

/** Request body of TriggerIncidentExternalAction. */
export type TriggerIncidentExternalActionRequest =
  RequestBody<'/Command/TriggerIncidentExternalAction'>;
/** 200 body of TriggerIncidentExternalAction: a success or a command-level failure. */
export type TriggerIncidentExternalActionResponse = JsonBody<
  '/Command/TriggerIncidentExternalAction',
  200
>;
/** A successful 200 body of TriggerIncidentExternalAction. */
export type TriggerIncidentExternalActionSuccess = Schemas['TriggerIncidentExternalActionSuccess'];
/** The incident that matched and the playbook runs that were started. */
export type TriggeredIncident = Schemas['TriggeredIncident'];
/** The MongoDB-style conditions that pick the incident. */
export type SearchConditions = Schemas['SearchConditions'];
/** Free-form data handed to the incident's playbooks. */
export type TriggerData = Schemas['TriggerData'];

/** A 200 body whose non-empty `error` says the command failed. */
export type CommandFailure = Schemas['CommandFailure'];
/** Body of 400/401/429/5xx answers: `{ "Error": "..." }`. */
export type ErrorResponse = Schemas['ErrorResponse'];
