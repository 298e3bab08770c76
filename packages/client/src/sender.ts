/**
 * Sends prepared calls: each request of a call through the shared openapi-fetch client (and so
 * the pipeline), batches with bounded concurrency, and the answers turned into each command's
 * result.
 */
import { operationPaths } from '@d3soar/openapi/contract';
import { sendInBatches, type SentCall } from './batches.js';
import type { SaveArtifactsResult, SetEventTechniquesResult } from './client.js';
import type { D3CallOptions, Envelope } from './commands/envelope.js';
import type { PreparedCall, PreparedRequest } from './commands/prepared.js';
import type { SaveArtifactsPreview } from './commands/save-artifacts.js';
import type { SetEventTechniquesPreview } from './commands/set-event-techniques.js';
import type { Api } from './http/api.js';
import type { Pipeline } from './http/pipeline.js';
import type { D3Logger } from './logger.js';
import type { Redactor } from './redact.js';
import {
  interpretAnswer,
  readSaveArtifactSuccess,
  readSetEventTechniquesSuccess,
  readTriggerSuccess,
  type SuccessReader,
} from './responses.js';
import type { CommandName, CommandSuccess } from './types.js';

/** The reader of each command's success body. */
const SUCCESS: { [C in CommandName]: SuccessReader<CommandSuccess<C>> } = {
  SetEventTechniques: readSetEventTechniquesSuccess,
  SaveArtifactForIncident: readSaveArtifactSuccess,
  TriggerIncidentExternalAction: readTriggerSuccess,
};

/** `client.POST` without its path-by-path typing: the typed methods pick paths by command name. */
type Post = (
  path: string,
  init: {
    body: string;
    bodySerializer: (body: string) => string;
    Request: typeof Request;
    parseAs: 'text';
    fetch: (request: Request) => Promise<Response>;
  },
) => Promise<{ data?: unknown; error?: unknown; response: Response }>;

/** The body serializer of a body that is JSON text already. */
const serializedAlready = (body: string): string => body;

/** Options of {@link createSender}. */
export interface SenderOptions {
  api: Api;
  pipeline: Pipeline;
  redactor: Redactor;
  logger: D3Logger | undefined;
  /** Batches of one call in flight at once. */
  batchConcurrency: number;
}

/** Sends the prepared calls of each command. */
export interface Sender {
  setEventTechniques(
    preview: SetEventTechniquesPreview,
    envelope: Envelope,
    options: D3CallOptions,
  ): Promise<SetEventTechniquesResult>;
  saveArtifacts(
    preview: SaveArtifactsPreview,
    envelope: Envelope,
    options: D3CallOptions,
  ): Promise<SaveArtifactsResult>;
  /** A call of one request: its success body, or its error. */
  single<C extends CommandName>(
    preview: { call: PreparedCall<C> },
    envelope: Envelope,
    options: D3CallOptions,
  ): Promise<CommandSuccess<C>>;
}

/** Creates the {@link Sender} of a client. */
export function createSender(options: SenderOptions): Sender {
  const { api, pipeline, redactor, logger, batchConcurrency } = options;
  const post = api.client.POST as unknown as Post;

  /** Sends one request of a prepared call through openapi-fetch and the pipeline. */
  function sendRequest<C extends CommandName>(
    command: C,
    envelope: Envelope,
    request: PreparedRequest<C>,
    signal: AbortSignal | undefined,
  ): Promise<CommandSuccess<C>> {
    // Serialised here, so the call knows the body text a retry re-sends (openapi-fetch hands it
    // over as is).
    const text = JSON.stringify({
      Username: envelope.Username,
      Site: envelope.Site,
      CommandParams: request.params,
    });
    const known = { command, username: envelope.Username, signal, body: text };
    return api.run(
      (scope) =>
        post(operationPaths[command], {
          body: text,
          bodySerializer: serializedAlready,
          Request: api.requestClass(),
          // Read as text: a 200 that is not JSON is reported (with an excerpt), not thrown as a
          // SyntaxError by openapi-fetch.
          parseAs: 'text',
          fetch: scope.fetch,
        }).then(({ data, error, response }) => {
          // Unset only when middleware answered before the request reached the pipeline.
          const { call } = scope;
          return interpretAnswer(
            {
              command,
              status: response.status,
              body: data ?? error,
              attempts: call?.attempts ?? 0,
              durationMs: call ? pipeline.errors.elapsed(call) : 0,
              mayHaveRun: call?.mayHaveRun ?? false,
              retryAfterMs: call?.retryAfterMs,
            },
            SUCCESS[command],
            redactor,
          );
        }),
      known,
    );
  }

  /**
   * Sends every request of a call, `batchConcurrency` at a time: the successful values and the
   * failed batches (each logged), in request order. Throws when every batch failed. No async
   * frames here or below: each would cost every call a promise and a turn.
   */
  function sendCall<C extends CommandName>(
    call: PreparedCall<C>,
    envelope: Envelope,
    options: D3CallOptions,
  ): Promise<SentCall<C, CommandSuccess<C>>> {
    const { command, requests } = call;
    const { signal } = options;
    const sent = sendInBatches(
      call,
      batchConcurrency,
      (request) => sendRequest(command, envelope, request, signal),
      options.onProgress,
    );
    // A call of one request has no failed batches: its failure is thrown.
    if (requests.length === 1 || !logger) return sent;
    return sent.then((result) => {
      for (const { batchIndex, firstItem, request, error } of result.failed) {
        logger.warn('D3 batch failed', {
          command,
          batch: `${batchIndex + 1} of ${requests.length}`,
          items: `${request.items} from item ${firstItem}`,
          error: error.message,
        });
      }
      return result;
    });
  }

  function setEventTechniques(
    preview: SetEventTechniquesPreview,
    envelope: Envelope,
    options: D3CallOptions,
  ): Promise<SetEventTechniquesResult> {
    const { call, params, unpaired } = preview;
    return sendCall(call, envelope, options).then(({ values, failed }) => ({
      ok: failed.length === 0,
      contextData: joined(values),
      failedBatches: failed.map(({ request, error }) => ({
        eventIds: [...request.params['Event IDs']],
        error,
      })),
      batchCount: call.requests.length,
      tactics: params.Tactics ?? [],
      techniques: params.Techniques ?? [],
      unpaired,
    }));
  }

  function saveArtifacts(
    preview: SaveArtifactsPreview,
    envelope: Envelope,
    options: D3CallOptions,
  ): Promise<SaveArtifactsResult> {
    const { call } = preview;
    return sendCall(call, envelope, options).then(({ values, failed }) => ({
      ok: failed.length === 0,
      contextData: joined(values),
      failedBatches: failed.map(({ request, firstItem, error }) => ({
        artifacts: [...request.params['Artifact Fields']],
        firstIndex: firstItem,
        error,
      })),
      batchCount: call.requests.length,
    }));
  }

  /** Sends a call of one request; its success body, or its error. */
  function single<C extends CommandName>(
    preview: { call: PreparedCall<C> },
    envelope: Envelope,
    options: D3CallOptions,
  ): Promise<CommandSuccess<C>> {
    // `sendCall` throws when the call's only request failed, so there is a value here.
    return sendCall(preview.call, envelope, options).then(
      ({ values }) => values[0] as CommandSuccess<C>,
    );
  }

  return { setEventTechniques, saveArtifacts, single };
}

/** The `contextData` of every successful batch, in batch order. */
function joined<T>(values: readonly { contextData: T[] }[]): T[] {
  // One batch: its list as parsed, which nothing else holds.
  if (values.length === 1 && values[0]) return values[0].contextData;
  const entries: T[] = [];
  // A loop, not push(...entries): a batch may hold more entries than a call takes arguments.
  for (const value of values) for (const entry of value.contextData) entries.push(entry);
  return entries;
}
