/**
 * The retry loop. A wrapper around the `fetch` it is given, not openapi-fetch middleware:
 * middleware can change a request or an answer, but cannot send a request again.
 *
 * The first attempt sends the `Request` openapi-fetch built; a retry sends a copy of it with the
 * same body text (a `Request` body can be read only once). Which failures are retried, and for
 * which commands, is decided in `retry.ts`; this layer only applies it.
 */
import { sleep, type Clock } from '../clock.js';
import type { D3Logger } from '../logger.js';
import {
  backoffDelay,
  isRetryable,
  parseRetryAfter,
  type AttemptFailure,
  type RetryPolicy,
} from '../retry.js';
import { FailedAttempt, type Call, type CallErrors, type Layer, type Send } from './call.js';

/** Options of {@link retryLayer}. */
export interface RetryLayerOptions {
  policy: RetryPolicy;
  clock: Clock;
  errors: CallErrors;
  logger?: D3Logger | undefined;
  /** Source of the backoff's jitter (tests pin it); `Math.random` when absent. */
  random?: (() => number) | undefined;
}

/** Re-sends what the policy allows, waiting for the server's `Retry-After` or a backoff. */
export function retryLayer(options: RetryLayerOptions): Layer {
  const { policy, clock, errors, logger, random = Math.random } = options;
  // The first attempt's answer is passed on without entering the loop below: most calls need
  // no retry, and that path should cost no more than a `then`.
  return (next) => (first, call) => {
    if (call.signal?.aborted) return Promise.reject(errors.aborted(call, false));
    call.retryAfterMs = undefined;
    // Taken before the first attempt reads the body.
    const spare = spareOf(first, call, policy);
    return next(first, call).then(
      (response) =>
        response.status !== 429 && response.status < 500
          ? response
          : retry(next, first, spare, call, response),
      (error: unknown) => retry(next, first, spare, call, undefined, error),
    );
  };

  /** The loop, entered with the first attempt's answer (or its error) in hand. */
  async function retry(
    next: Send,
    first: Request,
    firstSpare: Request | undefined,
    call: Call,
    firstResponse: Response | undefined,
    firstError?: unknown,
  ): Promise<Response> {
    let request = first;
    let spare = firstSpare;
    let outcome: { response?: Response | undefined; error?: unknown } = {
      response: firstResponse,
      error: firstError,
    };
    for (;;) {
      let failure: AttemptFailure;
      if (outcome.response) {
        const response = outcome.response;
        const { status } = response;
        if (status !== 429 && status < 500) return response;
        call.retryAfterMs =
          status === 429
            ? parseRetryAfter(response.headers.get('retry-after'), clock.epochMs())
            : undefined;
        failure = { kind: 'status', status };
        // A Retry-After longer than the caller allows ends the call now: retrying sooner than
        // the server asked would only earn another 429.
        if (
          call.attempts >= policy.maxAttempts ||
          !isRetryable(call.command, failure) ||
          (call.retryAfterMs ?? 0) > policy.maxRetryAfterMs
        ) {
          return response;
        }
        if (status > 499) call.mayHaveRun = true;
        // Discarded: its attempt is over, and reading the body frees the connection.
        call.attempt?.end();
        response.text().catch(() => {});
      } else {
        const { error } = outcome;
        // Errors other than a failed attempt (auth, redirects) are final already.
        if (!(error instanceof FailedAttempt)) throw error;
        if (error.kind === 'abort') throw errors.aborted(call, error.reachedServer);
        failure =
          error.kind === 'timeout'
            ? { kind: 'timeout' }
            : {
                kind: 'network',
                reachedServer: error.reachedServer,
                permanent: error.connection?.permanent,
              };
        // A timeout or a connection that opened may have run the command: the outcome of this
        // and any later failure is then `unknown`, else nothing was sent.
        call.mayHaveRun ||= error.kind === 'timeout' || error.reachedServer;
        if (call.attempts >= policy.maxAttempts || !isRetryable(call.command, failure)) {
          throw errors.attempt(call, error);
        }
      }

      // The server's Retry-After (one above maxRetryAfterMs ended the call above) or the backoff.
      const delayMs = call.retryAfterMs ?? backoffDelay(call.attempts, policy, random);
      logger?.warn('D3 retrying', {
        command: call.command,
        attempt: call.attempts,
        reason: failure.kind === 'status' ? `status ${failure.status}` : failure.kind,
        delayMs,
      });
      try {
        await sleep(clock, delayMs, call.signal);
      } catch {
        throw errors.aborted(call, false);
      }
      request = spare ?? copyOf(request, call);
      spare = spareOf(request, call, policy);
      if (call.signal?.aborted) throw errors.aborted(call, false);
      call.retryAfterMs = undefined;
      try {
        outcome = { response: await next(request, call) };
      } catch (error) {
        outcome = { error };
      }
    }
  }
}

/** A clone to send next time, needed only when the body text is unknown and a retry is possible. */
function spareOf(request: Request, call: Call, policy: RetryPolicy): Request | undefined {
  return call.body === undefined && request.body !== null && call.attempts + 1 < policy.maxAttempts
    ? request.clone()
    : undefined;
}

/** The request again, with its body text: same URL, method and headers, redirects still refused. */
function copyOf(request: Request, call: Call): Request {
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: call.body ?? null,
    redirect: 'manual',
  });
}
