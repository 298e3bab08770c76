import type { AuthProvider } from './auth.js';
import { systemClock, type Clock } from './clock.js';
import {
  D3AbortError,
  D3AuthError,
  D3NetworkError,
  D3TimeoutError,
  unknownOutcome,
  type D3Outcome,
} from './errors.js';
import type { D3Logger } from './logger.js';
import type { RateLimiter } from './rate-limiter.js';
import { createRedactor, type Redactor } from './redact.js';
import {
  DEFAULT_RETRY,
  isRetryable,
  neverReachedServer,
  parseRetryAfter,
  retryDelay,
  type AttemptFailure,
  type RetryPolicy,
} from './retry.js';

/**
 * The `fetch` the client calls: the global `fetch`, a mock server's in-process `fetch`, or your
 * own. It gets a `Request` and an init carrying the attempt's abort `signal`; a custom `fetch`
 * that goes to the network should pass that signal on, so timeouts and aborts close the socket.
 */
export type FetchLike = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

/** Everything the transport needs; `createD3Client` fills it from its options. */
export interface TransportOptions {
  fetch: FetchLike;
  auth?: AuthProvider | undefined;
  headers?: Record<string, string> | undefined;
  timeoutMs: number;
  retry?: RetryPolicy;
  rateLimiter?: RateLimiter | undefined;
  logger?: D3Logger | undefined;
  redactor?: Redactor;
  clock?: Clock;
  random?: () => number;
}

/** One logical request as the transport sends it (possibly several times). */
export interface OutgoingRequest {
  /** The operationId, which decides the retry rules. */
  command: string;
  url: string;
  method: string;
  body?: string | undefined;
  /** The envelope's `Username`, the claim a minted JWT must carry. */
  username?: string | undefined;
  /** Per-request headers (after the client's, before auth). */
  headers?: Headers | undefined;
  signal?: AbortSignal | undefined;
}

/** The final answer of a request after the retry loop. */
export interface Exchange {
  command: string;
  status: number;
  statusText: string;
  headers: Headers;
  text: string;
  attempts: number;
  durationMs: number;
  /** An earlier attempt may have run the command (a 5xx, timeout or dropped connection). */
  mayHaveRun: boolean;
}

/** Sends requests with auth, rate limiting, per-attempt timeouts, retries and logging. */
export interface Transport {
  send(request: OutgoingRequest): Promise<Exchange>;
  /** The same pipeline as a `fetch`, for openapi-fetch (`client.raw`). */
  fetch: FetchLike;
  readonly redactor: Redactor;
}

type AttemptResult =
  | { ok: true; response: Response; text: string }
  | {
      ok: false;
      failure: Exclude<AttemptFailure, { kind: 'status' }> | { kind: 'abort' };
      error: unknown;
    };

const COMMAND_IN_PATH = /\/Command\/([^/?#]+)/;

/** Builds the request pipeline shared by the typed methods and `client.raw`. */
export function createTransport(options: TransportOptions): Transport {
  const {
    fetch: fetchImpl,
    auth,
    timeoutMs,
    rateLimiter,
    logger,
    retry = DEFAULT_RETRY,
    clock = systemClock,
    random = Math.random,
  } = options;
  const redactor = options.redactor ?? createRedactor({ secrets: auth?.secrets ?? [] });
  const baseHeaders = Object.entries(options.headers ?? {});
  const authHeader = auth?.headerName.toLowerCase() ?? '';

  async function buildHeaders(request: OutgoingRequest): Promise<Record<string, string>> {
    // A plain record (lower-case names) is cheaper than a Headers object and is what Request takes.
    const headers: Record<string, string> = {};
    for (const [name, value] of baseHeaders) headers[name.toLowerCase()] = value;
    request.headers?.forEach((value, name) => {
      headers[name] = value;
    });
    if (request.body !== undefined) headers['content-type'] ??= 'application/json';
    headers.accept ??= 'application/json';
    if (auth) {
      const credential = await auth.credential(request.username);
      redactor.remember(credential);
      headers[authHeader] = credential;
    }
    return headers;
  }

  async function attempt(
    request: OutgoingRequest,
    headers: Record<string, string>,
  ): Promise<AttemptResult> {
    let outgoing: Request;
    try {
      outgoing = new Request(request.url, { method: request.method, headers, body: request.body });
    } catch (error) {
      // A request that cannot be built (e.g. a header value with a line break) never left.
      return { ok: false, failure: { kind: 'network', reachedServer: false }, error };
    }
    const controller = new AbortController();
    const callerSignal = request.signal;
    let timedOut = false;
    let phase = 'connect' as 'connect' | 'body';
    let stop: (reason: unknown) => void = () => {};
    const onCallerAbort = (): void => stop(callerSignal?.reason);
    const timer = setTimeout(() => {
      timedOut = true;
      stop(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    try {
      // The signal goes in fetch's second argument rather than on the Request: a signal on a
      // Request costs as much as a second Request, and `fetch(request, { signal })` cancels the
      // socket all the same. The promise also settles on abort by itself, because an in-process
      // `fetch` may ignore the signal.
      const [response, text] = await new Promise<[Response, string]>((resolve, reject) => {
        stop = (reason) => {
          controller.abort(reason);
          reject(reason);
        };
        if (callerSignal?.aborted) return onCallerAbort();
        callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
        fetchImpl(outgoing, { signal: controller.signal })
          .then((answer) => {
            phase = 'body';
            return answer.text().then((body) => resolve([answer, body]));
          })
          .catch(reject);
      });
      return { ok: true, response, text };
    } catch (error) {
      if (timedOut) return { ok: false, failure: { kind: 'timeout' }, error };
      if (callerSignal?.aborted) return { ok: false, failure: { kind: 'abort' }, error };
      const reachedServer = phase === 'body' || !neverReachedServer(error);
      return { ok: false, failure: { kind: 'network', reachedServer }, error };
    } finally {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function send(request: OutgoingRequest): Promise<Exchange> {
    const { command, signal } = request;
    const startedAt = clock.now();
    let attempts = 0;
    let mayHaveRun = false;
    const elapsed = (): number => Math.round(clock.now() - startedAt);
    const aborted = (inFlight: boolean): D3AbortError =>
      new D3AbortError(`${command} was aborted by the caller's signal`, {
        command,
        attempts,
        durationMs: elapsed(),
        outcome: inFlight || mayHaveRun ? 'unknown' : attempts > 0 ? 'rejected' : 'not_sent',
        cause: redactor.error(signal?.reason),
      });

    for (;;) {
      if (signal?.aborted) throw aborted(false);
      let release: (() => void) | undefined;
      if (rateLimiter) {
        try {
          release = await rateLimiter.acquire(signal);
        } catch {
          throw aborted(false);
        }
      }
      let result: AttemptResult;
      try {
        let headers: Record<string, string>;
        try {
          headers = await buildHeaders(request);
        } catch (error) {
          throw new D3AuthError(
            `${command}: could not obtain credentials: ${redactor.text(describeCause(error))}`,
            {
              command,
              attempts,
              durationMs: elapsed(),
              outcome: mayHaveRun ? 'unknown' : 'not_sent',
              cause: redactor.error(error),
            },
          );
        }
        attempts++;
        logger?.debug('D3 request', {
          command,
          attempt: attempts,
          method: request.method,
          url: redactor.text(request.url),
          headers: redactor.headers(headers),
        });
        result = await attempt(request, headers);
      } finally {
        release?.();
      }

      let failure: AttemptFailure;
      let retryAfterMs: number | undefined;
      if (result.ok) {
        const { response, text } = result;
        logger?.debug('D3 response', {
          command,
          attempt: attempts,
          status: response.status,
          durationMs: elapsed(),
        });
        const exchange: Exchange = {
          command,
          status: response.status,
          statusText: response.statusText,
          headers: response.headers,
          text,
          attempts,
          durationMs: elapsed(),
          mayHaveRun,
        };
        if (response.status !== 429 && response.status < 500) return exchange;
        failure = { kind: 'status', status: response.status };
        if (attempts >= retry.maxAttempts || !isRetryable(command, failure)) return exchange;
        if (response.status >= 500) mayHaveRun = true;
        retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), Date.now());
      } else {
        if (result.failure.kind === 'abort') throw aborted(true);
        const thrown = result.failure;
        failure = thrown;
        const reachedServer = thrown.kind === 'timeout' || thrown.reachedServer;
        if (attempts >= retry.maxAttempts || !isRetryable(command, failure)) {
          const outcome: D3Outcome = reachedServer || mayHaveRun ? 'unknown' : 'not_sent';
          throw transportError(command, failure, result.error, {
            attempts,
            durationMs: elapsed(),
            outcome,
            timeoutMs,
            redactor,
          });
        }
        if (reachedServer) mayHaveRun = true;
      }

      const delayMs = retryDelay(attempts, retryAfterMs, retry, random);
      logger?.warn('D3 retrying', {
        command,
        attempt: attempts,
        reason: failure.kind === 'status' ? `status ${failure.status}` : failure.kind,
        delayMs,
      });
      try {
        await clock.sleep(delayMs, signal);
      } catch {
        throw aborted(false);
      }
    }
  }

  const fetchAdapter: FetchLike = async (input) => {
    const body = input.body === null ? undefined : await input.text();
    const { pathname } = new URL(input.url);
    const command = COMMAND_IN_PATH.exec(pathname)?.[1] ?? pathname;
    const exchange = await send({
      command: decodeURIComponent(command),
      url: input.url,
      method: input.method,
      body,
      username: auth && body !== undefined ? usernameIn(body) : undefined,
      headers: input.headers,
      signal: input.signal,
    });
    return new Response(exchange.text === '' ? null : exchange.text, {
      status: exchange.status,
      statusText: exchange.statusText,
      headers: exchange.headers,
    });
  };

  return { send, fetch: fetchAdapter, redactor };
}

function usernameIn(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const name = (parsed as { Username?: unknown } | null)?.Username;
    return typeof name === 'string' ? name : undefined;
  } catch {
    return undefined;
  }
}

function transportError(
  command: string,
  failure: AttemptFailure,
  cause: unknown,
  details: {
    attempts: number;
    durationMs: number;
    outcome: D3Outcome;
    timeoutMs: number;
    redactor: Redactor;
  },
): D3TimeoutError | D3NetworkError {
  const { attempts, durationMs, outcome, timeoutMs, redactor } = details;
  const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
  const unknown = outcome === 'unknown' ? ` ${unknownOutcome(command)}` : '';
  const init = { command, attempts, durationMs, outcome, cause: redactor.error(cause) };
  if (failure.kind === 'timeout') {
    return new D3TimeoutError(
      `${command}: no complete answer within ${timeoutMs} ms (${tries}).${unknown}`,
      { ...init, timeoutMs },
    );
  }
  const reason = redactor.text(describeCause(cause));
  return new D3NetworkError(
    `${command}: network failure after ${tries}: ${reason}.${unknown}`,
    init,
  );
}

function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.join(': ') || String(error);
}
