/**
 * The client-side rate limit, per attempt. A wrapper around the `fetch` it is given, not
 * openapi-fetch middleware: it sits below the retry loop so that every attempt, retries included,
 * takes a place in the window, and middleware never sees a retry.
 */
import type { RateLimiter } from '../rate-limiter.js';
import { FailedAttempt, type Layer } from './call.js';

/** Waits for the limiter before each attempt; the slot is freed once the answer has arrived. */
export function rateLimitLayer(limiter: RateLimiter): Layer {
  return (next) => async (request, call) => {
    let release: () => void;
    try {
      release = await limiter.acquire(call.signal);
    } catch (error) {
      // Only the caller's abort rejects a wait; nothing was sent for this attempt.
      throw new FailedAttempt('abort', false, error);
    }
    try {
      return await next(request, call);
    } finally {
      release();
    }
  };
}
