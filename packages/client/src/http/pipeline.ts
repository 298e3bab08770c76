/**
 * The layers every request goes through, typed method or `client.raw` alike, composed in one
 * place. Read top to bottom: that is the order a request passes them.
 */
import type { AuthProvider } from '../auth.js';
import { systemClock, type Clock } from '../clock.js';
import type { D3Logger } from '../logger.js';
import type { SharedRateLimiter } from '../rate-limit-store.js';
import type { RateLimiter } from '../rate-limiter.js';
import type { Redactor } from '../redact.js';
import type { RetryPolicy } from '../retry.js';
import { authLayer } from './authenticate.js';
import { callErrors, type CallErrors, type Layer, type Send } from './call.js';
import { loggingLayer } from './logging.js';
import { rateLimitLayer } from './rate-limit.js';
import { redirectLayer } from './redirects.js';
import { retryLayer } from './retries.js';
import { timeoutLayer } from './timeout.js';

/**
 * The `fetch` the client calls: the global `fetch`, a mock server's in-process `fetch`, or your
 * own. It gets a `Request` (with `redirect: 'manual'`) and an init carrying the attempt's abort
 * `signal`; a custom `fetch` that goes to the network should pass both on, so timeouts and aborts
 * close the socket and redirects are never followed.
 */
export type FetchLike = (request: Request, init?: { signal?: AbortSignal }) => Promise<Response>;

/** Everything the pipeline needs; `createD3Client` fills it from its options. */
export interface PipelineOptions {
  fetch: FetchLike;
  auth?: AuthProvider | undefined;
  timeoutMs: number;
  retry: RetryPolicy;
  rateLimiter?: RateLimiter | SharedRateLimiter | undefined;
  logger?: D3Logger | undefined;
  /** Scrubs secrets from errors and logs; it should know the auth's secrets. */
  redactor: Redactor;
  clock?: Clock;
  /** Source of the backoff's jitter. */
  random?: () => number;
}

/** The composed layers, and the error builder they share (the typed methods use it too). */
export interface Pipeline {
  send: Send;
  errors: CallErrors;
  clock: Clock;
}

/** Composes the layers over `options.fetch`. */
export function createPipeline(options: PipelineOptions): Pipeline {
  const { auth, rateLimiter, logger, redactor, timeoutMs, clock = systemClock } = options;
  const errors = callErrors(redactor, clock);
  const layers: (Layer | false | undefined)[] = [
    // 1. One call: re-sends what the policy allows (every layer below runs once per attempt).
    retryLayer({ policy: options.retry, clock, errors, logger, random: options.random }),
    // 2. Waits for a place in the rate limit's window and a concurrency slot.
    rateLimiter && rateLimitLayer({ limiter: rateLimiter, errors, clock, timeoutMs }),
    // 3. Sets the credential (a fresh JWT per attempt).
    auth && authLayer({ auth, redactor, errors }),
    // 4. Refuses redirects (never followed, never retried).
    redirectLayer(errors),
    // 5. Counts the attempt; its time limit and the caller's abort, answer body included.
    timeoutLayer({ timeoutMs, clock, errors }),
    // 6. Debug lines with redacted headers, as the request leaves.
    logger && loggingLayer({ logger, redactor, errors }),
  ];
  const fetchImpl = options.fetch;
  const toFetch: Send = (request, call) => fetchImpl(request, call.attempt);
  const send = layers.reduceRight<Send>((next, layer) => (layer ? layer(next) : next), toFetch);
  return { send, errors, clock };
}
