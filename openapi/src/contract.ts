/**
 * The contract's facts for code that calls or serves the commands: operation IDs, their paths,
 * the credential header names, and the request and response types, all generated from
 * `d3soar.openapi.yaml`. This entry point holds no copy of the document, so a bundled client that
 * imports it carries a few hundred bytes.
 *
 * @packageDocumentation
 */
import { credentialHeaders, operationIds, operationPaths } from './generated/contract.js';
import type { components, paths } from './generated/schema.js';

export { credentialHeaders, operationIds, operationPaths } from './generated/contract.js';
export type { components, operations, paths } from './generated/schema.js';

/** One of the command operationIds, e.g. `SetEventTechniques`. */
export type OperationId = (typeof operationIds)[number];

/** The path of a command, relative to the API root: `/Command/SetEventTechniques`. */
export type OperationPath<Op extends OperationId = OperationId> = (typeof operationPaths)[Op];

/** The name of a credential scheme of the contract (`d3key`, `d3jwt`). */
export type CredentialScheme = keyof typeof credentialHeaders;

type Operation<Op extends OperationId> = paths[OperationPath<Op>]['post'];

/** The JSON request body of a command: `{ Username, Site, CommandParams }`. */
export type RequestBodyOf<Op extends OperationId> =
  Operation<Op> extends { requestBody: { content: { 'application/json': infer Body } } }
    ? Body
    : never;

/** The `CommandParams` of a command's request body. */
export type CommandParamsOf<Op extends OperationId> =
  RequestBodyOf<Op> extends {
    CommandParams: infer Params;
  }
    ? Params
    : never;

/** The JSON body of a command's answer with the given status: `200` is success or failure. */
export type ResponseBodyOf<Op extends OperationId, Status extends number = 200> =
  Operation<Op> extends {
    responses: Record<Status, { content: { 'application/json': infer Body } }>;
  }
    ? Body
    : never;

/** The paths of the commands, as typed by openapi-typescript. */
export type CommandPath = keyof paths;

type Schemas = components['schemas'];

/** A successful 200 body of SetEventTechniques (`error` is `""`). */
export type SetEventTechniquesSuccess = Schemas['SetEventTechniquesSuccess'];
/** The tactic/technique pairs set on one event. */
export type EventTechniques = Schemas['EventTechniques'];
/** One technique set on an event under one tactic, with D3's GUIDs. */
export type TechniqueAssignment = Schemas['TechniqueAssignment'];
/** A successful 200 body of SaveArtifactForIncident. */
export type SaveArtifactForIncidentSuccess = Schemas['SaveArtifactForIncidentSuccess'];
/** The fields of one artifact as sent (system fields, or `Identity` + `Additional`). */
export type ArtifactFieldSet = Schemas['ArtifactFieldSet'];
/** What D3 did with one artifact (`Add`/`Update`, details or `{ Old, New }`). */
export type ArtifactResult = Schemas['ArtifactResult'];
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
