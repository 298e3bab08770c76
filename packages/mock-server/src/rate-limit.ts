/** The outcome of asking the limiter for one request. */
export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Options of {@link createRateLimiter}. */
export interface RateLimiterOptions {
  /** Sustained rate per credential. */
  requestsPerSecond: number;
  /** Bucket size: how many requests may arrive at once. Default: `requestsPerSecond`. */
  burst?: number;
  /** Milliseconds clock; injectable so tests need not wait. Default: `performance.now`. */
  now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * A token bucket per credential (API key or JWT secret), as D3 limits each key to 50 requests/s.
 * Hand-written: it is a dozen lines, and the mock needs it synchronous and clock-injectable.
 */
export function createRateLimiter(
  options: RateLimiterOptions,
): (credential: string) => RateDecision {
  const rate = options.requestsPerSecond;
  if (!(Number.isFinite(rate) && rate > 0)) {
    throw new RangeError(
      `rateLimit.requestsPerSecond must be a positive number, got ${String(rate)}`,
    );
  }
  const capacity = options.burst ?? rate;
  if (!(Number.isFinite(capacity) && capacity >= 1)) {
    throw new RangeError(`rateLimit.burst must be a number >= 1, got ${String(capacity)}`);
  }
  const now = options.now ?? (() => performance.now());
  const buckets = new Map<string, Bucket>();

  return (credential) => {
    const time = now();
    let bucket = buckets.get(credential);
    if (bucket === undefined) {
      bucket = { tokens: capacity, updatedAt: time };
      buckets.set(credential, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + ((time - bucket.updatedAt) / 1000) * rate);
      bucket.updatedAt = time;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const secondsUntilToken = (1 - bucket.tokens) / rate;
    // Retry-After carries whole seconds; round up so a client that obeys it is let through.
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(secondsUntilToken)) };
  };
}
