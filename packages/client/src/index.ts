/**
 * `@d3soar/client`: a typed client for three commands of the D3 SOAR Command API
 * (SetEventTechniques, SaveArtifactForIncident, TriggerIncidentExternalAction) that checks input
 * before sending, retries only what is safe to retry, rate-limits, authenticates with an API key
 * or per-request JWTs, and keeps secrets out of errors and logs.
 *
 * @packageDocumentation
 */
export { createD3Client } from './client.js';
export type {
  D3Client,
  D3ClientOptions,
  D3CommandResults,
  D3Middleware,
  D3Preview,
  FailedArtifactBatch,
  FailedBatch,
  SaveArtifactsResult,
  SetEventTechniquesResult,
} from './client.js';
export { createRawClient } from './raw-client.js';
export type { D3RawClient, RawClientOptions } from './raw-client.js';
export { previewSetEventTechniques } from './commands/set-event-techniques.js';
export { previewSaveArtifacts } from './commands/save-artifacts.js';
export { previewTriggerIncidentExternalAction } from './commands/trigger-external-action.js';
export type { D3CallOptions } from './commands/envelope.js';
export type { D3Progress } from './batches.js';
export type { D3Warning } from './commands/warnings.js';
export type { PreparedCall, PreparedRequest } from './commands/prepared.js';
export type {
  PreviewSetEventTechniquesOptions,
  ResolvedTactic,
  ResolvedTechnique,
  SetEventTechniquesInput,
  SetEventTechniquesPreview,
} from './commands/set-event-techniques.js';
export type {
  ArtifactInput,
  PreviewedArtifact,
  SaveArtifactsInput,
  SaveArtifactsLimits,
  SaveArtifactsPreview,
} from './commands/save-artifacts.js';
export type {
  SearchConditionsSource,
  TriggerIncidentExternalActionInput,
  TriggerIncidentExternalActionPreview,
} from './commands/trigger-external-action.js';
export type { ApiKeyAuth, D3Auth, JwtSecretAuth, TokenAuth } from './auth.js';
export type { D3Logger } from './logger.js';
export type { RetryOptions } from './retry.js';
export type { RateLimitOptions } from './rate-limiter.js';
export type { RateBudget, RateLimitStore } from './rate-limit-store.js';
export type { FetchLike } from './http/pipeline.js';
export {
  D3AbortError,
  D3AuthError,
  D3BadRequestError,
  D3CommandError,
  D3Error,
  D3NetworkError,
  D3RateLimitError,
  D3RateLimitStoreError,
  D3ResponseError,
  D3ServerError,
  D3TimeoutError,
  D3ValidationError,
  formatIssue,
} from './errors.js';
export type { D3ErrorInit, D3ErrorJSON, D3Outcome, D3ValidationIssue } from './errors.js';
export type * from './types.js';
