import { checkNumber } from './check.js';
import { systemClock, type Clock } from './clock.js';

/** Client-side rate limit (the `rateLimit` option of `createD3Client`). */
export interface RateLimitOptions {
  /**
   * Sustained request rate, a token bucket refilled continuously (default 50, D3's documented
   * limit). The bucket holds one second's worth, so a burst never exceeds this many at once.
   */
  requestsPerSecond?: number;
  /** Requests in flight at the same time (default 10). */
  maxConcurrency?: number;
}

/** Grants permission to send one request. */
export interface RateLimiter {
  /** Waits for a token and a concurrency slot; the returned function frees the slot. */
  acquire(signal?: AbortSignal): Promise<() => void>;
}

interface Waiter {
  grant: (release: () => void) => void;
}

/**
 * A token bucket plus a concurrency semaphore with one FIFO queue, so waiters are served in
 * order. Written here rather than imported: it is ~50 lines, and the libraries that do it
 * (bottleneck, p-limit + limiter) pull in more code than the whole client.
 */
export function createRateLimiter(
  options: RateLimitOptions = {},
  clock: Clock = systemClock,
): RateLimiter {
  const rate = checkNumber(
    'rateLimit.requestsPerSecond',
    options.requestsPerSecond ?? 50,
    'number > 0',
  );
  const maxConcurrency = checkNumber(
    'rateLimit.maxConcurrency',
    options.maxConcurrency ?? 10,
    'integer ≥ 1',
  );
  const capacity = Math.max(1, rate);
  let tokens = capacity;
  let refilledAt = clock.now();
  let active = 0;
  let timerPending = false;
  const queue: Waiter[] = [];

  const refill = (): void => {
    const now = clock.now();
    tokens = Math.min(capacity, tokens + ((now - refilledAt) * rate) / 1000);
    refilledAt = now;
  };

  const release = (): void => {
    active--;
    pump();
  };

  const pump = (): void => {
    refill();
    while (queue.length > 0 && active < maxConcurrency && tokens >= 1) {
      tokens--;
      active++;
      let released = false;
      queue.shift()!.grant(() => {
        if (released) return;
        released = true;
        release();
      });
    }
    if (queue.length > 0 && active < maxConcurrency && !timerPending) {
      timerPending = true;
      const wait = Math.ceil(((1 - tokens) * 1000) / rate);
      void clock.sleep(wait).then(() => {
        timerPending = false;
        pump();
      });
    }
  };

  return {
    acquire(signal) {
      return new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const onAbort = (): void => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(signal?.reason);
        };
        const waiter: Waiter = {
          grant: (done) => {
            signal?.removeEventListener('abort', onAbort);
            resolve(done);
          },
        };
        queue.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
        pump();
      });
    },
  };
}
