import type { AttackCatalog, Technique } from '@d3soar/domain/attack';
import { checkHeaderName, checkHeaderValue, createAuthProvider, type D3Auth } from './auth.js';
import { normalizeBaseUrl } from './base-url.js';
import { checkNumber } from './check.js';
import { envelopeFor, type D3CallOptions, type Envelope } from './commands/envelope.js';
import { prepareSaveArtifacts, type SaveArtifactsInput } from './commands/save-artifacts.js';
import {
  prepareSetEventTechniques,
  type SetEventTechniquesInput,
} from './commands/set-event-techniques.js';
import {
  prepareTrigger,
  type TriggerIncidentExternalActionInput,
} from './commands/trigger-external-action.js';
import { chunk, mapWithConcurrency } from './concurrency.js';
import { checked, D3AbortError, D3Error, type D3ValidationIssue } from './errors.js';
import type { D3Logger } from './logger.js';
import { createRateLimiter, type RateLimitOptions } from './rate-limiter.js';
import { createRawClient, type D3RawClient } from './raw-client.js';
import { CREDENTIAL_HEADER, createRedactor } from './redact.js';
import {
  interpretExchange,
  isSaveArtifactSuccess,
  isSetEventTechniquesSuccess,
  isTriggerSuccess,
  type SuccessShape,
} from './responses.js';
import { resolveRetryPolicy, type RetryOptions } from './retry.js';
import { createTransport, type FetchLike } from './transport.js';
import type {
  EventTechniques,
  SaveArtifactForIncidentSuccess,
  TriggerIncidentExternalActionSuccess,
} from './types.js';

/** Options of {@link createD3Client}. */
export interface D3ClientOptions {
  /**
   * The installation's base, e.g. `https://d3site.net/MainApp/VSOC`; the client appends
   * `/api/Command/<Command>` (a trailing slash or a base already ending in `/api` is fine).
   */
  baseUrl: string;
  /** The D3 account name put in every request's `Username` (overridable per call). */
  username: string;
  /** The D3 site put in every request's `Site` (overridable per call). */
  site: string;
  /** `{ apiKey }`, `{ jwtSecret }` or `{ token: () => ... }`; see {@link D3Auth}. */
  auth: D3Auth;
  /** The `fetch` to call (default: the global `fetch`). A mock server's in-process `fetch` fits. */
  fetch?: FetchLike;
  /** Limit for one attempt, answer body included, in milliseconds (default 30 000). */
  timeoutMs?: number;
  /**
   * Retry settings, or `false` for a single attempt. Defaults: `{ maxAttempts: 3,
   * baseDelayMs: 250, maxDelayMs: 8000, maxRetryAfterMs: 60000 }`. Which failures are retried
   * depends on the command; see the README's retry-safety rules.
   */
  retry?: RetryOptions | false;
  /**
   * Client-side limit, or `false` for none. Default `{ requestsPerSecond: 50, maxConcurrency: 10 }`
   * (D3's documented limit is 50 requests/s). Every attempt, retries included, takes a token.
   */
  rateLimit?: RateLimitOptions | false;
  /** Receives debug lines per attempt and warnings (retries, unpaired techniques, failed batches). */
  logger?: D3Logger;
  /** Accept plain `http://` to a non-loopback host (credentials would travel unencrypted). */
  allowInsecureHttp?: boolean;
  /**
   * Extra headers for every request (auth headers always win). Values of headers whose names
   * look like credentials (`Authorization`, `Cookie`, `X-Api-Key`, `…-Token`…) are treated as
   * secrets: hidden in logs and scrubbed from errors.
   */
  headers?: Record<string, string>;
  /** Most event IDs per SetEventTechniques request; more are split into batches (default 500). */
  batchSize?: number;
  /** Batches of one `setEventTechniques` call in flight at once (default 4). */
  batchConcurrency?: number;
  /**
   * The ATT&CK catalog used to resolve tactics and techniques. Default: the bundled enterprise
   * catalog (ATT&CK v18.1). Pass `createAttackCatalog(bundle)` to match your installation's version.
   */
  attackCatalog?: AttackCatalog;
}

/** A batch of event IDs whose SetEventTechniques request failed. */
export interface FailedBatch {
  /** The event IDs of the batch, as sent. */
  eventIds: number[];
  /** Why it failed (after any retries). */
  error: D3Error;
}

/** Result of `setEventTechniques`: merged over all batches. */
export interface SetEventTechniquesResult {
  /** True when every batch succeeded. */
  ok: boolean;
  /** Per event, the pairs D3 set, from every successful batch, in event-ID batch order. */
  contextData: EventTechniques[];
  /** Batches that failed, with their event IDs and error; empty when `ok`. */
  failedBatches: FailedBatch[];
  /** How many requests the event IDs were split into. */
  batchCount: number;
  /** The `Tactics` values sent (resolved, de-duplicated). */
  tactics: string[];
  /** The `Techniques` values sent (resolved, de-duplicated). */
  techniques: string[];
  /** Requested techniques that fit none of the requested tactics (D3 stores nothing for them). */
  unpaired: Technique[];
}

/** The high-level D3 client returned by {@link createD3Client}. */
export interface D3Client {
  /**
   * Sets ATT&CK tactics and techniques on events. Names and IDs are resolved and checked
   * locally first; more than `batchSize` event IDs are split into batches sent with bounded
   * concurrency. Failed batches are reported in the result (partial success is kept); when every
   * batch fails, the first batch's error is thrown.
   * @throws {D3ValidationError} before sending, listing every problem in the input.
   */
  setEventTechniques(
    input: SetEventTechniquesInput & D3CallOptions,
  ): Promise<SetEventTechniquesResult>;
  /**
   * Saves artifacts (field objects or bare indicator values) and links them to an incident.
   * @throws {D3ValidationError} before sending, listing every artifact that breaks D3's rules.
   */
  saveArtifacts(input: SaveArtifactsInput & D3CallOptions): Promise<SaveArtifactForIncidentSuccess>;
  /**
   * Triggers 'On Incident External Action' playbooks on the first incident matching `where`.
   * Not idempotent: only 429s (refused requests) are retried; any later failure throws an error
   * with `outcome: 'unknown'`.
   * @throws {D3ValidationError} before sending, when the conditions or trigger data are invalid.
   */
  triggerIncidentExternalAction(
    input: TriggerIncidentExternalActionInput & D3CallOptions,
  ): Promise<TriggerIncidentExternalActionSuccess>;
  /** The openapi-fetch client over the same pipeline (auth, rate limit, timeouts, retries, logs). */
  readonly raw: D3RawClient;
}

/** Creates a {@link D3Client}. Options are checked at once; errors name the option. */
export function createD3Client(options: D3ClientOptions): D3Client {
  const apiRoot = normalizeBaseUrl(options.baseUrl, options);
  const auth = createAuthProvider(options.auth);
  const headers = options.headers ?? {};
  const secrets = [...auth.secrets];
  for (const [name, given] of Object.entries(headers)) {
    const value = checkHeaderValue(`headers.${checkHeaderName('headers', name)}`, given);
    // Each word too, for `Bearer <token>`; values under 8 characters are flags or schemes, not
    // credentials, and scrubbing them would mangle every message.
    if (CREDENTIAL_HEADER.test(name)) {
      secrets.push(...[value, ...value.split(' ')].filter((s) => s.length > 7));
    }
  }
  const redactor = createRedactor({ secrets, sensitiveHeaders: [auth.headerName] });
  const timeoutMs = checkNumber('timeoutMs', options.timeoutMs ?? 30_000, 'number > 0');
  const batchSize = checkNumber('batchSize', options.batchSize ?? 500, 'integer >= 1');
  const batchConcurrency = checkNumber(
    'batchConcurrency',
    options.batchConcurrency ?? 4,
    'integer >= 1',
  );
  // The global fetch is looked up per call, so a later polyfill or stub is picked up.
  const fetchImpl: FetchLike = options.fetch ?? ((request, init) => fetch(request, init));
  if (typeof fetchImpl !== 'function') throw new TypeError('fetch must be a function');
  const { logger } = options;
  const transport = createTransport({
    fetch: fetchImpl,
    auth,
    headers,
    timeoutMs,
    retry: resolveRetryPolicy(options.retry),
    rateLimiter: options.rateLimit === false ? undefined : createRateLimiter(options.rateLimit),
    logger,
    redactor,
  });
  const defaults = { username: options.username, site: options.site };

  /** Checks the envelope and the input together, so one error lists every problem. */
  const prepare = <I extends D3CallOptions, T>(
    command: string,
    input: I,
    prepareInput: (input: I, issues: D3ValidationIssue[]) => T | undefined,
  ): [Envelope, T] =>
    checked(command, (issues) => {
      const envelope = envelopeFor(defaults, input, issues);
      const prepared = prepareInput(input, issues);
      return prepared && [envelope, prepared];
    });

  async function call<T>(
    command: string,
    envelope: Envelope,
    params: unknown,
    isSuccess: SuccessShape<T>,
    signal: AbortSignal | undefined,
  ): Promise<T> {
    const exchange = await transport.send({
      command,
      url: `${apiRoot}/Command/${command}`,
      method: 'POST',
      body: JSON.stringify({ ...envelope, CommandParams: params }),
      username: envelope.Username,
      signal,
    });
    return interpretExchange(exchange, isSuccess, redactor);
  }

  return {
    async setEventTechniques(input) {
      const command = 'SetEventTechniques';
      const [envelope, { params, unpaired }] = prepare(command, input, (given, issues) =>
        prepareSetEventTechniques(given, issues, options.attackCatalog),
      );
      const { Tactics: tactics = [], Techniques: techniques = [] } = params;
      if (unpaired.length > 0) {
        // Unpaired: in none of the requested tactics.
        logger?.warn('D3 ignores unpaired techniques', {
          command,
          techniques: unpaired.map((t) => `${t.id} ${t.d3Name}`),
          tactics,
        });
      }
      const batches = chunk(params['Event IDs'], batchSize);
      // Per batch, in batch order: D3's contextData, or the failure with the batch's event IDs.
      const outcomes = await mapWithConcurrency(
        batches,
        batchConcurrency,
        async (eventIds): Promise<EventTechniques[] | FailedBatch> => {
          try {
            const sent = { ...params, 'Event IDs': eventIds };
            return (await call(command, envelope, sent, isSetEventTechniquesSuccess, input.signal))
              .contextData;
          } catch (error) {
            // An abort ends the whole call; any other failure is kept for the report.
            if (error instanceof D3AbortError || !(error instanceof D3Error)) throw error;
            return { eventIds, error };
          }
        },
      );
      const failedBatches = outcomes.filter((out): out is FailedBatch => !Array.isArray(out));
      if (failedBatches.length === batches.length) throw failedBatches[0]!.error;
      for (const { eventIds, error } of failedBatches) {
        logger?.warn('D3 batch failed', {
          command,
          eventIds: `${eventIds.length} IDs from ${eventIds[0]}`,
          error: error.message,
        });
      }
      return {
        ok: failedBatches.length === 0,
        contextData: outcomes.filter((out): out is EventTechniques[] => Array.isArray(out)).flat(),
        failedBatches,
        batchCount: batches.length,
        tactics,
        techniques,
        unpaired,
      };
    },

    async saveArtifacts(input) {
      const command = 'SaveArtifactForIncident';
      const [envelope, { params }] = prepare(command, input, prepareSaveArtifacts);
      return call(command, envelope, params, isSaveArtifactSuccess, input.signal);
    },

    async triggerIncidentExternalAction(input) {
      const command = 'TriggerIncidentExternalAction';
      const [envelope, { params }] = prepare(command, input, prepareTrigger);
      return call(command, envelope, params, isTriggerSuccess, input.signal);
    },

    // `apiRoot` was checked above (plain http included), so the raw client need not refuse it.
    raw: createRawClient({ baseUrl: apiRoot, fetch: transport.fetch, allowInsecureHttp: true }),
  };
}
