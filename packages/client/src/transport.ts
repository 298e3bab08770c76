import type { AuthProvider } from './auth.js';
import { sleep, systemClock, type Clock } from './clock.js';
import {
  D3AbortError,
  D3AuthError,
  D3NetworkError,
  D3ResponseError,
  D3TimeoutError,
  D3ValidationError,
  errorMessage,
  type D3Error,
  type D3ErrorInit,
  type D3Outcome,
} from './errors.js';
import type { D3Logger } from './logger.js';
import type { RateLimiter } from './rate-limiter.js';
import type { Redactor } from './redact.js';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryable,
  neverReachedServer,
  parseRetryAfter,
  type AttemptFailure,
  type RetryPolicy,
} from './retry.js';

/**
 * The `fetch` the client calls: the global `fetch`, a mock server's in-process `fetch`, or your
 * own. It gets a `Request` (with `redirect: 'manual'`) and an init carrying the attempt's abort
 * `signal`; a custom `fetch` that goes to the network should pass both on, so timeouts and aborts
 * close the socket and redirects are never followed.
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
  /** Scrubs secrets from errors and logs; it should know the auth's secrets. */
  redactor: Redactor;
  clock?: Clock;
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
  /** A 429's `Retry-After`, in milliseconds, when it had a readable one. */
  retryAfterMs?: number | undefined;
}

/** Sends requests with auth, rate limiting, per-attempt timeouts, retries and logging. */
export interface Transport {
  send(request: OutgoingRequest): Promise<Exchange>;
  /** The same pipeline as a `fetch`, for openapi-fetch (`client.raw`). */
  fetch: FetchLike;
}

/** The answer and its body text, or why there was none (with the error that said so). */
type AttemptResult =
  | [response: Response, text: string]
  | ((Exclude<AttemptFailure, { kind: 'status' }> | { kind: 'abort' }) & { error: unknown });

const COMMAND_IN_PATH = /\/Command\/([^/?#]+)/;

/** Builds the request pipeline shared by the typed methods and `client.raw`. */
export function createTransport(options: TransportOptions): Transport {
  const {
    fetch: fetchImpl,
    auth,
    timeoutMs,
    rateLimiter,
    logger,
    redactor,
    retry = DEFAULT_RETRY,
    clock = systemClock,
  } = options;
  // A plain record (lower-case names) is cheaper than a Headers object, and is what Request
  // takes. Every D3 command is a POST of JSON, and answers JSON; the client's or the request's
  // own headers may say otherwise.
  const baseHeaders: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json',
    ...Object.fromEntries(
      Object.entries(options.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
    ),
  };
  const authHeader = auth?.headerName.toLowerCase() ?? '';

  async function attempt(outgoing: Request, callerSignal?: AbortSignal): Promise<AttemptResult> {
    const controller = new AbortController();
    let timedOut = false;
    let answered = false;
    let stop: (reason: unknown) => void = () => {};
    const onCallerAbort = (): void => stop(callerSignal?.reason);
    const cancelTimer = clock.timer(timeoutMs, () => {
      timedOut = true;
      stop(new Error('timeout'));
    });
    try {
      // The signal goes in fetch's second argument rather than on the Request: a signal on a
      // Request costs as much as a second Request, and `fetch(request, { signal })` cancels the
      // socket all the same. The promise also settles on abort by itself, because an in-process
      // `fetch` may ignore the signal.
      return await new Promise<[Response, string]>((resolve, reject) => {
        stop = (reason) => {
          controller.abort(reason);
          reject(reason);
        };
        if (callerSignal?.aborted) return onCallerAbort();
        callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
        fetchImpl(outgoing, { signal: controller.signal })
          .then((answer) => {
            answered = true;
            return answer.text().then((body) => resolve([answer, body]));
          })
          .catch(reject);
      });
    } catch (error) {
      return timedOut
        ? { kind: 'timeout', error }
        : callerSignal?.aborted
          ? { kind: 'abort', error }
          : { kind: 'network', reachedServer: answered || !neverReachedServer(error), error };
    } finally {
      cancelTimer();
      callerSignal?.removeEventListener('abort', onCallerAbort);
    }
  }

  async function send(request: OutgoingRequest): Promise<Exchange> {
    const { command, signal } = request;
    const startedAt = clock.now();
    let attempts = 0;
    let mayHaveRun = false;
    const elapsed = (): number => Math.round(clock.now() - startedAt);
    /**
     * An error of `Kind` for this call. The outcome is `unknown` once an attempt may have run
     * the command, and the message then says what that means for this command.
     */
    const fail = <Init extends D3ErrorInit>(
      Kind: new (message: string, init: Init) => D3Error,
      message: string,
      outcome: D3Outcome,
      cause?: unknown,
      extra?: Omit<Init, keyof D3ErrorInit>,
    ): D3Error => {
      if (mayHaveRun) outcome = 'unknown';
      return new Kind(errorMessage(command, redactor.text(message), outcome), {
        command,
        attempts,
        durationMs: elapsed(),
        outcome,
        cause: redactor.error(cause),
        ...extra,
      } as Init);
    };
    const aborted = (inFlight: boolean): D3Error =>
      fail(
        D3AbortError,
        'aborted by the caller',
        inFlight ? 'unknown' : attempts ? 'rejected' : 'not_sent',
        signal?.reason,
      );

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
        let headers: Record<string, string> | undefined;
        let outgoing: Request;
        try {
          const built = { ...baseHeaders };
          request.headers?.forEach((value, name) => {
            built[name] = value;
          });
          if (auth) {
            const credential = await auth.credential(request.username);
            redactor.remember(credential);
            built[authHeader] = credential;
          }
          headers = built;
          // `manual`: a redirect would carry the credential and the body to whatever host the
          // Location names (https → http included); it is reported below instead.
          outgoing = new Request(request.url, {
            method: request.method,
            headers,
            body: request.body,
            redirect: 'manual',
          });
        } catch (error) {
          // With headers built, only they can have made the Request fail (the URL and method
          // were checked before, the credential by the auth provider); they are the same for
          // every attempt, so this is the first: nothing was sent, and retrying cannot help.
          throw headers
            ? new D3ValidationError(command, [
                { path: 'headers', message: redactor.text(describeCause(error)) },
              ])
            : fail(
                D3AuthError,
                `could not obtain credentials: ${describeCause(error)}`,
                'not_sent',
                error,
              );
        }
        attempts++;
        logger?.debug('D3 request', {
          command,
          attempt: attempts,
          method: request.method,
          // No secret in it: baseUrl may not carry credentials or a query, and the paths none.
          url: request.url,
          headers: redactor.headers(headers),
        });
        result = await attempt(outgoing, signal);
      } finally {
        release?.();
      }

      let failure: AttemptFailure;
      let retryAfterMs: number | undefined;
      if (Array.isArray(result)) {
        const [response, text] = result;
        const { status, headers } = response;
        logger?.debug('D3 response', { command, attempt: attempts, status, durationMs: elapsed() });
        if ((status > 299 && status < 400) || response.type === 'opaqueredirect') {
          // Never followed (see above). The outcome is unknown for every command: the server
          // read the request, and a server may run a POST before redirecting (POST/redirect/GET),
          // so a redirect does not prove the command was refused. Not retried either: the same
          // request gets the same redirect.
          throw fail(
            D3ResponseError,
            `D3 answered with a redirect (${status || 'opaque'})${redirectTarget(headers, request.url)}, not followed: check baseUrl`,
            'unknown',
            undefined,
            { status },
          );
        }
        if (status === 429)
          retryAfterMs = parseRetryAfter(headers.get('retry-after'), clock.epochMs());
        const exchange: Exchange = {
          command,
          status,
          statusText: response.statusText,
          headers,
          text,
          attempts,
          durationMs: elapsed(),
          mayHaveRun,
          retryAfterMs,
        };
        failure = { kind: 'status', status };
        // A Retry-After longer than the caller allows ends the call now: retrying sooner than
        // the server asked would only earn another 429.
        if (
          (status !== 429 && status < 500) ||
          attempts >= retry.maxAttempts ||
          !isRetryable(command, failure) ||
          (retryAfterMs ?? 0) > retry.maxRetryAfterMs
        ) {
          return exchange;
        }
        if (status > 499) mayHaveRun = true;
      } else {
        if (result.kind === 'abort') throw aborted(true);
        failure = result;
        // A timeout or a connection that opened may have run the command: the outcome of this
        // and any later failure is then `unknown` (`fail` says so), else nothing was sent.
        mayHaveRun ||= result.kind === 'timeout' || result.reachedServer;
        if (attempts >= retry.maxAttempts || !isRetryable(command, failure)) {
          const tries = attempts === 1 ? '1 attempt' : `${attempts} attempts`;
          throw result.kind === 'timeout'
            ? fail(
                D3TimeoutError,
                `no complete answer within ${timeoutMs} ms (${tries})`,
                'not_sent',
                result.error,
                { timeoutMs },
              )
            : fail(
                D3NetworkError,
                `network failure after ${tries}: ${describeCause(result.error)}`,
                'not_sent',
                result.error,
              );
        }
      }

      // The server's Retry-After (one above maxRetryAfterMs ended the call above) or the backoff.
      const delayMs = retryAfterMs ?? backoffDelay(attempts, retry, Math.random);
      logger?.warn('D3 retrying', {
        command,
        attempt: attempts,
        reason: failure.kind === 'status' ? `status ${failure.status}` : failure.kind,
        delayMs,
      });
      try {
        await sleep(clock, delayMs, signal);
      } catch {
        throw aborted(false);
      }
    }
  }

  const fetchAdapter: FetchLike = async (input) => {
    const body = input.body ? await input.text() : undefined;
    const exchange = await send({
      // The operationId decides the retry rules; any other path is named by its URL.
      command: decodeURIComponent(COMMAND_IN_PATH.exec(input.url)?.[1] ?? input.url),
      url: input.url,
      method: input.method,
      body,
      username: body && usernameIn(body),
      headers: input.headers,
      signal: input.signal,
    });
    // `null` for an empty body, which a 204 or 304 Response requires.
    return new Response(exchange.text || null, exchange);
  };

  return { send, fetch: fetchAdapter };
}

function usernameIn(body: string): string | undefined {
  try {
    return (JSON.parse(body) as { Username?: string } | null)?.Username;
  } catch {
    // Not JSON: no Username to put in a JWT; the auth provider says so.
    return undefined;
  }
}

/**
 * ` to <scheme>//<host><path>` of a redirect's Location, so the caller can fix `baseUrl`; the
 * user info and query are left out, since they may hold a credential. Empty when unreadable.
 */
function redirectTarget(headers: Headers, base: string): string {
  const location = headers.get('location');
  try {
    const { protocol, host, pathname } = new URL(location!, base);
    return location ? ` to ${protocol}//${host}${pathname}` : '';
  } catch {
    return '';
  }
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
