/**
 * The client-side rate limit, per attempt. A wrapper around the `fetch` it is given, not
 * openapi-fetch middleware: it sits below the retry loop so that every attempt, retries included,
 * takes a token, and middleware never sees a retry. With a shared budget, a 429 pauses every
 * process of the budget for its `Retry-After`, so one storm does not become one per process.
 */
import type { Clock } from '../clock.js';
import { D3RateLimitStoreError, D3TimeoutError } from '../errors.js';
import { StoreUnavailable, type SharedRateLimiter } from '../rate-limit-store.js';
import { BudgetWaitTimeout, type RateLimiter } from '../rate-limiter.js';
import { parseRetryAfter } from '../retry.js';
import { FailedAttempt, type CallErrors, type Layer } from './call.js';

/** Options of {@link rateLimitLayer}. */
export interface RateLimitLayerOptions {
  limiter: RateLimiter | SharedRateLimiter;
  errors: CallErrors;
  clock: Clock;
  /** The longest wait for the budget: the call's per-attempt `timeoutMs`. */
  timeoutMs: number;
}

/**
 * Waits for the limiter before each attempt, at most `timeoutMs` (then the call fails with
 * `D3TimeoutError`, nothing sent); the slot is freed once the answer has arrived.
 */
export function rateLimitLayer({
  limiter,
  errors,
  clock,
  timeoutMs,
}: RateLimitLayerOptions): Layer {
  // A shared limiter pauses its budget; the in-memory one has nothing to share.
  const pause = 'pause' in limiter ? (ms: number) => limiter.pause(ms) : undefined;
  return (next) => async (request, call) => {
    let release: () => void;
    try {
      release = await limiter.acquire(call.signal, timeoutMs);
    } catch (error) {
      if (error instanceof BudgetWaitTimeout) {
        throw errors.build(
          call,
          D3TimeoutError,
          `${error.message}, so this attempt was not sent`,
          'not_sent',
          undefined,
          { timeoutMs },
        );
      }
      if (error instanceof StoreUnavailable) {
        throw errors.build(
          call,
          D3RateLimitStoreError,
          `the shared rate limit store failed (${error.message}), so nothing was sent`,
          'not_sent',
        );
      }
      // Otherwise only the caller's abort rejects a wait; nothing was sent for this attempt.
      throw new FailedAttempt('abort', false, error);
    }
    try {
      const response = await next(request, call);
      if (pause && response.status === 429) {
        const waitMs = parseRetryAfter(response.headers.get('retry-after'), clock.epochMs());
        if (waitMs !== undefined && waitMs > 0) await pause(waitMs);
      }
      return response;
    } finally {
      release();
    }
  };
}
