// The client's public surface: its options, the results of its methods, and `createD3Client`,
// which checks the options and composes the modules that do the work (pipeline, sender, previews).
// Long on purpose: most of it is the documented option and result types a user reads in one place.
import type { AttackCatalog, Technique } from '@d3soar/domain/attack';
import type { Middleware } from 'openapi-fetch';
import { checkHeaderName, checkHeaderValue, createAuthProvider, type D3Auth } from './auth.js';
import { normalizeBaseUrl } from './base-url.js';
import { checkNumber } from './check.js';
import { envelopeFor, type D3CallOptions, type Envelope } from './commands/envelope.js';
import {
  checkedArtifactLimits,
  prepareSaveArtifacts,
  type SaveArtifactsInput,
  type SaveArtifactsPreview,
} from './commands/save-artifacts.js';
import {
  prepareSetEventTechniques,
  type SetEventTechniquesInput,
  type SetEventTechniquesPreview,
} from './commands/set-event-techniques.js';
import {
  prepareTrigger,
  type TriggerIncidentExternalActionInput,
  type TriggerIncidentExternalActionPreview,
} from './commands/trigger-external-action.js';
import type { D3Warning } from './commands/warnings.js';
import { checked, D3ValidationError, type D3Error, type D3ValidationIssue } from './errors.js';
import { rawClient } from './http/raw.js';
import { createApi } from './http/api.js';
import { createPipeline, type FetchLike } from './http/pipeline.js';
import type { D3Logger } from './logger.js';
import { createClientRateLimiter, type RateLimitOptions } from './rate-limiter.js';
import type { D3RawClient } from './raw-client.js';
import { CREDENTIAL_HEADER, createRedactor } from './redact.js';
import { resolveRetryPolicy, type RetryOptions } from './retry.js';
import { createSender } from './sender.js';
import type {
  ArtifactFieldSet,
  ArtifactResult,
  CommandName,
  EventTechniques,
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
  /**
   * Receives debug lines per attempt and warnings: each of a call's input warnings before it is
   * sent (`D3 input warning`), retries and failed batches.
   */
  logger?: D3Logger;
  /**
   * What to do with a call's input warnings (what D3 may not take as meant: an operator the vendor
   * does not show, an address outside its field's range, a technique in none of the tactics...;
   * listed in the README). `'log'` (default): log each as `D3 input warning` and send. `'throw'`:
   * send nothing and throw a `D3ValidationError` listing them, each issue with its `code`.
   */
  warnings?: 'log' | 'throw';
  /** Accept plain `http://` to a non-loopback host (credentials would travel unencrypted). */
  allowInsecureHttp?: boolean;
  /**
   * Extra headers for every request (auth headers always win). Values of headers whose names
   * look like credentials (`Authorization`, `Cookie`, `X-Api-Key`, `…-Token`…) are treated as
   * secrets: hidden in logs and scrubbed from errors.
   */
  headers?: Record<string, string>;
  /**
   * Most items per request: event IDs of `setEventTechniques`, artifacts of `saveArtifacts`; more
   * are split into batches (default 500).
   */
  batchSize?: number;
  /**
   * Largest `saveArtifacts` request body in bytes; larger calls are split into batches (default
   * 1,000,000: under the 1 MiB the mock reads; D3 documents no limit). `Username` and `Site` are
   * counted at up to 1 KiB.
   */
  maxBodyBytes?: number;
  /** Batches of one call in flight at once (default 4). */
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

/** A batch of artifacts whose SaveArtifactForIncident request failed. */
export interface FailedArtifactBatch {
  /** The artifacts of the batch, as sent. */
  artifacts: ArtifactFieldSet[];
  /** The index of its first artifact in the call's input (the others follow in order). */
  firstIndex: number;
  /** Why it failed (after any retries). */
  error: D3Error;
}

/** Result of `saveArtifacts`: merged over all batches. */
export interface SaveArtifactsResult {
  /** True when every batch succeeded. */
  ok: boolean;
  /** D3's outcome per saved artifact, from every successful batch, in input order. */
  contextData: ArtifactResult[];
  /** Batches that failed, with their artifacts and error; empty when `ok`. */
  failedBatches: FailedArtifactBatch[];
  /** How many requests the artifacts were split into. */
  batchCount: number;
}

/** A preview of any command: what `send` takes. */
export type D3Preview =
  SetEventTechniquesPreview | SaveArtifactsPreview | TriggerIncidentExternalActionPreview;

/** What each command's call resolves to, by command name: the typed method's result. */
export interface D3CommandResults {
  SetEventTechniques: SetEventTechniquesResult;
  SaveArtifactForIncident: SaveArtifactsResult;
  TriggerIncidentExternalAction: TriggerIncidentExternalActionSuccess;
}

/**
 * openapi-fetch middleware (`onRequest`, `onResponse`, `onError`), for {@link D3Client.use}.
 * It runs once per call, before the client's own layers (retries, rate limit, auth, timeouts).
 */
export type D3Middleware = Middleware;

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
   * Saves artifacts (field objects or bare indicator values) and links them to an incident. More
   * than `batchSize` artifacts, or more than `maxBodyBytes` of them, are split into batches sent
   * with bounded concurrency (saving is an upsert, so the order does not matter). Failed batches
   * are reported in the result; when every batch fails, the first batch's error is thrown.
   * @throws {D3ValidationError} before sending, listing every artifact that breaks D3's rules.
   */
  saveArtifacts(input: SaveArtifactsInput & D3CallOptions): Promise<SaveArtifactsResult>;
  /**
   * Triggers 'On Incident External Action' playbooks on the first incident matching `where`.
   * Not idempotent: only 429s (refused requests) are retried; any later failure throws an error
   * with `outcome: 'unknown'`.
   * @throws {D3ValidationError} before sending, when the conditions or trigger data are invalid.
   */
  triggerIncidentExternalAction(
    input: TriggerIncidentExternalActionInput & D3CallOptions,
  ): Promise<TriggerIncidentExternalActionSuccess>;
  /**
   * Sends what a preview (`previewSetEventTechniques` and friends) prepared, exactly as prepared
   * and without checking it again, and resolves as the command's typed method does. The preview's
   * batches are sent as they were cut (its `batchSize` and `maxBodyBytes`, not the client's).
   * @throws {D3ValidationError} before sending, when `username` or `site` is blank.
   */
  send<P extends D3Preview>(
    preview: P,
    options?: D3CallOptions,
  ): Promise<D3CommandResults[P['call']['command']]>;
  /**
   * Adds openapi-fetch middleware to every request, the typed methods' and `raw`'s alike (e.g.
   * tracing headers). It runs once per call, before retries; the headers it sets go out with
   * every attempt.
   */
  use(...middleware: D3Middleware[]): void;
  /** The openapi-fetch client the typed methods use too (auth, rate limit, timeouts, retries, logs). */
  readonly raw: D3RawClient;
  /**
   * Closes what the client holds open: the `rateLimit.store` it was given (a Redis connection
   * the store opened). Calls after it still work without a store's connection only if the store
   * falls back (`onError: 'local'`). Without a store there is nothing to close.
   */
  close(): Promise<void>;
  /** `close()`, for `await using`. */
  [Symbol.asyncDispose](): Promise<void>;
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
  const artifactLimits = checkedArtifactLimits(options);
  const { batchSize } = artifactLimits;
  const batchConcurrency = checkNumber(
    'batchConcurrency',
    options.batchConcurrency ?? 4,
    'integer >= 1',
  );
  // The global fetch is looked up per call, so a later polyfill or stub is picked up.
  const fetchImpl: FetchLike = options.fetch ?? ((request, init) => fetch(request, init));
  if (typeof fetchImpl !== 'function') throw new TypeError('fetch must be a function');
  const { logger } = options;
  const pipeline = createPipeline({
    fetch: fetchImpl,
    auth,
    timeoutMs,
    retry: resolveRetryPolicy(options.retry),
    rateLimiter:
      options.rateLimit === false
        ? undefined
        : createClientRateLimiter(options.rateLimit, { apiRoot, logger }),
    logger,
    redactor,
  });
  const store = options.rateLimit === false ? undefined : options.rateLimit?.store;
  const api = createApi({ apiRoot, headers, pipeline });
  const sender = createSender({ api, pipeline, redactor, logger, batchConcurrency });
  const defaults = { username: options.username, site: options.site };

  const warningPolicy: unknown = options.warnings ?? 'log';
  if (warningPolicy !== 'log' && warningPolicy !== 'throw') {
    throw new TypeError(`warnings must be 'log' or 'throw', got ${String(warningPolicy)}`);
  }

  /** Applies the warning policy to a call about to be sent. */
  const heed = (command: CommandName, warnings: readonly D3Warning[]): void => {
    if (warnings.length === 0) return;
    if (warningPolicy === 'throw') {
      throw new D3ValidationError(
        command,
        redactor.value(
          warnings.map(({ code, path, message }) => ({ path, message, code })),
        ) as D3ValidationIssue[],
      );
    }
    for (const { code, path, message } of warnings) {
      logger?.warn('D3 input warning', { command, code, path, message: redactor.text(message) });
    }
  };

  /** Checks the envelope and the input together, so one error lists every problem. */
  const prepare = <I extends D3CallOptions, T extends { warnings: readonly D3Warning[] }>(
    command: CommandName,
    input: I,
    prepareInput: (input: I, issues: D3ValidationIssue[]) => T | undefined,
  ): [Envelope, T] => {
    let prepared: [Envelope, T];
    try {
      prepared = checked(command, (issues) => {
        const envelope = envelopeFor(defaults, input, issues);
        const preview = prepareInput(input, issues);
        return preview && [envelope, preview];
      });
    } catch (error) {
      if (!(error instanceof D3ValidationError)) throw error;
      // Issue messages quote the input; a secret pasted into it by mistake is replaced.
      throw new D3ValidationError(command, redactor.value(error.issues) as D3ValidationIssue[]);
    }
    heed(command, prepared[1].warnings);
    return prepared;
  };

  // The methods are not `async`: each async frame costs every call a promise and a turn. What
  // checking throws is returned as a rejection all the same (`rejecting`).
  return {
    setEventTechniques(input) {
      return rejecting(() => {
        const [envelope, preview] = prepare('SetEventTechniques', input, (given, issues) =>
          prepareSetEventTechniques(given, issues, options.attackCatalog, batchSize),
        );
        return sender.setEventTechniques(preview, envelope, input);
      });
    },

    saveArtifacts(input) {
      return rejecting(() => {
        const [envelope, preview] = prepare('SaveArtifactForIncident', input, (given, issues) =>
          prepareSaveArtifacts(given, issues, artifactLimits),
        );
        return sender.saveArtifacts(preview, envelope, input);
      });
    },

    triggerIncidentExternalAction(input) {
      return rejecting(() => {
        const [envelope, preview] = prepare('TriggerIncidentExternalAction', input, prepareTrigger);
        return sender.single(preview, envelope, input);
      });
    },

    send<P extends D3Preview>(
      preview: P,
      callOptions: D3CallOptions = {},
    ): Promise<D3CommandResults[P['call']['command']]> {
      return rejecting(() => {
        const command = preview.call.command;
        const envelope = checked(command, (issues) => envelopeFor(defaults, callOptions, issues));
        heed(command, preview.warnings);
        const result =
          command === 'SetEventTechniques'
            ? sender.setEventTechniques(preview as SetEventTechniquesPreview, envelope, callOptions)
            : command === 'SaveArtifactForIncident'
              ? sender.saveArtifacts(preview as SaveArtifactsPreview, envelope, callOptions)
              : sender.single(
                  preview as TriggerIncidentExternalActionPreview,
                  envelope,
                  callOptions,
                );
        return result as Promise<D3CommandResults[P['call']['command']]>;
      });
    },

    use(...middleware) {
      api.use(...middleware);
    },

    raw: rawClient(api),

    async close() {
      await store?.close();
    },
    [Symbol.asyncDispose]() {
      return this.close();
    },
  };
}

/** `start()`, with what it throws before its promise exists returned as a rejection. */
function rejecting<T>(start: () => Promise<T>): Promise<T> {
  try {
    return start();
  } catch (error) {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what checking threw, as an async method would
    return Promise.reject(error);
  }
}
