import { checkNumber } from './check.js';
import { systemClock, waitInQueue, type Clock } from './clock.js';
import type { D3Logger } from './logger.js';
import {
  createSharedRateLimiter,
  type RateLimitStore,
  type SharedRateLimiter,
} from './rate-limit-store.js';

/** Client-side rate limit (the `rateLimit` option of `createD3Client`). */
export interface RateLimitOptions {
  /**
   * Most requests started in any one-second window (default 50, D3's documented limit). The
   * window slides: a burst of this many goes out at once, and the next request waits until the
   * oldest of them is a second old, so no one-second span ever sees more (a fractional rate is
   * rounded down; below 1, one request per `1 / requestsPerSecond` seconds).
   */
  requestsPerSecond?: number;
  /** Requests in flight at the same time, in this process (default 10). */
  maxConcurrency?: number;
  /**
   * Where the budget is kept when several processes share it: `createRedisRateLimitStore()` from
   * `@d3soar/client/redis`. Every process using the same store and key then draws on one token
   * bucket refilled at `requestsPerSecond` per second and holding half a second's worth, and a 429
   * pauses them all for its `Retry-After`. Default: none, the window above in this process.
   */
  store?: RateLimitStore;
}

/** Grants permission to send one request. */
export interface RateLimiter {
  /**
   * Waits for a free place in the window and a concurrency slot; the returned function frees the
   * slot. Rejects with `signal.reason` when the signal aborts, and with {@link BudgetWaitTimeout}
   * when no place comes within `maxWaitMs` (nothing is taken then).
   */
  acquire(signal?: AbortSignal, maxWaitMs?: number): Promise<() => void>;
}

/** No place in the rate limit came within the wait's limit (the call's `timeoutMs`). */
export class BudgetWaitTimeout extends Error {
  override name = 'BudgetWaitTimeout';
  constructor(readonly maxWaitMs: number) {
    super(`no place in the rate limit within ${maxWaitMs} ms`);
  }
}

/** The rate and the concurrency of `options`, with their defaults, checked. */
function checkedLimits(options: RateLimitOptions): {
  requestsPerSecond: number;
  maxConcurrency: number;
} {
  return {
    requestsPerSecond: checkNumber(
      'rateLimit.requestsPerSecond',
      options.requestsPerSecond ?? 50,
      'number > 0',
    ),
    maxConcurrency: checkNumber(
      'rateLimit.maxConcurrency',
      options.maxConcurrency ?? 10,
      'integer >= 1',
    ),
  };
}

/** Hands a waiter its grant: the function that frees its concurrency slot. */
type Waiter = (release: () => void) => void;

/**
 * A sliding-window log (the start times of the last `requestsPerSecond` requests) plus a
 * concurrency semaphore with one FIFO queue, so waiters are served in order. A token bucket
 * holding a second's worth would let two seconds' worth through in one window (a full bucket,
 * then its refill); the log is exact. Written here rather than imported: it is ~50 lines, and the
 * libraries that do it (bottleneck, p-limit + limiter) pull in more code than the whole client.
 */
export function createRateLimiter(
  options: RateLimitOptions = {},
  clock: Clock = systemClock,
): RateLimiter {
  const { requestsPerSecond: rate, maxConcurrency } = checkedLimits(options);
  const perWindow = Math.max(1, Math.floor(rate));
  const windowMs = 1000 / Math.min(1, rate);
  // Start times of the most recent grants, oldest first; never more than `perWindow`.
  const started: number[] = [];
  let active = 0;
  let timerPending = false;
  const queue: Waiter[] = [];

  const pump = (): void => {
    while (queue.length > 0 && active < maxConcurrency) {
      const now = clock.now();
      const oldest = started.length < perWindow ? undefined : started[0];
      const wait = oldest === undefined ? 0 : oldest + windowMs - now;
      if (wait > 0) {
        if (!timerPending) {
          timerPending = true;
          // Should a timer fire a fraction of a millisecond early, the loop just waits again.
          clock.timer(wait, () => {
            timerPending = false;
            pump();
          });
        }
        return;
      }
      const waiter = queue.shift();
      if (!waiter) return;
      if (started.push(now) > perWindow) started.shift();
      active++;
      let released = false;
      waiter(() => {
        // Releasing twice must not free a second slot.
        if (!released) {
          released = true;
          active--;
          pump();
        }
      });
    }
  };

  return {
    acquire(signal, maxWaitMs = Infinity) {
      return waitInQueue(queue, {
        signal,
        maxWaitMs,
        timeoutReason: () => new BudgetWaitTimeout(maxWaitMs),
        clock,
        // Most requests are granted at once, by this.
        serve: pump,
      });
    },
  };
}

/**
 * The limiter of a client: the window above in this process, or, with a `store`, the budget it
 * shares with other processes (named by `store.key`, else by the client's API root: host and path,
 * which carry no credential).
 */
export function createClientRateLimiter(
  options: RateLimitOptions = {},
  context: { apiRoot: string; logger?: D3Logger | undefined },
): RateLimiter | SharedRateLimiter {
  const { store } = options;
  if (store === undefined) return createRateLimiter(options);
  const { requestsPerSecond, maxConcurrency } = checkedLimits(options);
  const { host, pathname } = new URL(context.apiRoot);
  return createSharedRateLimiter({
    store,
    budget: { key: store.key ?? `d3soar:rate:${host}${pathname}`, requestsPerSecond },
    maxConcurrency,
    logger: context.logger,
  });
}
