/**
 * A rate budget that other processes may share: the `store` of the `rateLimit` option. The
 * in-memory limiter (`rate-limiter.ts`) needs none; a store (Redis, from `@d3soar/client/redis`)
 * lets every process using the same one and the same key draw on one budget, as D3 counts its
 * 50 requests per second per installation, not per process.
 */
import { sleep, systemClock, waitInQueue, type Clock } from './clock.js';
import type { D3Logger } from './logger.js';
import { BudgetWaitTimeout, type RateLimiter } from './rate-limiter.js';

/**
 * The store failed and the client was told to fail (`onError: 'fail'`); the rate-limit layer
 * turns it into the call's `D3RateLimitStoreError`. Its message names the failure's kind only.
 */
export class StoreUnavailable extends Error {
  override name = 'StoreUnavailable';
}

/** One budget: a token bucket refilled at `requestsPerSecond` (its size: {@link bucketCapacity}). */
export interface RateBudget {
  /** Names the budget in the store (no credential in it). */
  readonly key: string;
  readonly requestsPerSecond: number;
}

/** Where a shared budget is kept. */
export interface RateLimitStore {
  /** The budget's name, when the store was given one; else the client derives it from `baseUrl`. */
  readonly key: string | undefined;
  /**
   * What the client does when the store fails (unreachable, timed out): `'local'` limits this
   * process alone until the store answers again; `'fail'` fails the call with
   * `D3RateLimitStoreError`.
   */
  readonly onError: 'local' | 'fail';
  /**
   * Takes one request from the budget: resolves `0` when granted, else the milliseconds to wait
   * before asking again (the bucket is empty, or every process is paused). Rejects when the store
   * failed; nothing was taken then.
   */
  take(budget: RateBudget): Promise<number>;
  /** Holds every process of the budget for `ms` (a 429's `Retry-After`), unless held longer already. */
  pause(budget: RateBudget, ms: number): Promise<void>;
  /** Closes the store's connection (if the store opened it). */
  close(): Promise<void>;
}

/** A limiter over a shared budget, which also pauses the budget when D3 answers 429. */
export interface SharedRateLimiter extends RateLimiter {
  /** Holds every process of the budget for `ms`. */
  pause(ms: number): Promise<void>;
}

/** Options of {@link createSharedRateLimiter}. */
export interface SharedRateLimiterOptions {
  store: RateLimitStore;
  budget: RateBudget;
  maxConcurrency: number;
  logger?: D3Logger | undefined;
  clock?: Clock;
}

/**
 * How many tokens a shared bucket holds: half a second's worth (at least one). Requests granted
 * together reach D3 spread out by the network and by each process's scheduling, and D3's own
 * bucket, of a full second's worth, has no slack for that: a full second's burst from the client
 * meets it empty now and then (measured: a few 429s in 400 requests from 4 processes). Half keeps
 * every burst well inside D3's, and the steady rate is `requestsPerSecond` all the same; a
 * smaller bucket at the same rate never lets through more than the larger one would.
 */
export function bucketCapacity(requestsPerSecond: number): number {
  return Math.max(1, Math.floor(requestsPerSecond / 2));
}

/**
 * The bucket as the time its next token is due (GCRA): a token every `interval` ms, and a full
 * bucket lets its tokens through at once, so the next token may be due up to `tolerance` ms ahead
 * of now and still be granted. One rule for the shared bucket and the local fallback.
 */
export function bucketTiming(requestsPerSecond: number): { interval: number; tolerance: number } {
  const interval = 1000 / requestsPerSecond;
  return { interval, tolerance: (bucketCapacity(requestsPerSecond) - 1) * interval };
}

/**
 * A token bucket in this process: the same rule as the shared one, used while the store fails
 * (`onError: 'local'`). Kept as the time its next token is due, so it is one number.
 */
export function localBucket(requestsPerSecond: number, clock: Clock): () => number {
  const { interval, tolerance } = bucketTiming(requestsPerSecond);
  let due = -Infinity;
  return () => {
    const now = clock.now();
    const next = Math.max(due, now);
    if (next - now > tolerance) return next - now - tolerance;
    due = next + interval;
    return 0;
  };
}

/**
 * The limiter of a client with a `store`: a concurrency slot in this process (`maxConcurrency`
 * stays per process), then a token from the shared budget, waiting as the store says. Waits honour
 * the call's signal and end at the call's `timeoutMs`. When the store fails, `onError` decides: `'local'` falls back to a bucket in
 * this process (one warning, and one line when sharing resumes), `'fail'` throws
 * {@link StoreUnavailable}. Nothing is sent while the store's answer is unknown.
 */
export function createSharedRateLimiter(options: SharedRateLimiterOptions): SharedRateLimiter {
  const { store, budget, maxConcurrency, logger, clock = systemClock } = options;
  const local = localBucket(budget.requestsPerSecond, clock);
  let sharing = true;
  let active = 0;
  const queue: (() => void)[] = [];

  const storeFailed = (error: unknown): number => {
    if (store.onError === 'fail') throw new StoreUnavailable(describeStoreError(error));
    if (sharing) {
      sharing = false;
      logger?.warn('D3 rate limit store unavailable: limiting this process alone', {
        key: budget.key,
        error: describeStoreError(error),
      });
    }
    return local();
  };

  /** One token: from the store, or from the local bucket while the store fails. */
  const take = async (): Promise<number> => {
    let wait: number;
    try {
      wait = await store.take(budget);
    } catch (error) {
      return storeFailed(error);
    }
    if (!sharing) {
      sharing = true;
      logger?.info('D3 rate limit store available again: sharing the budget', {
        key: budget.key,
      });
    }
    return wait;
  };

  const slot = (signal: AbortSignal | undefined, maxWaitMs: number): Promise<void> => {
    if (active < maxConcurrency) {
      active++;
      return Promise.resolve();
    }
    return waitInQueue(queue, {
      signal,
      maxWaitMs,
      timeoutReason: () => new BudgetWaitTimeout(maxWaitMs),
      clock,
    });
  };

  const release = (): void => {
    const next = queue.shift();
    if (next) next();
    else active--;
  };

  return {
    async acquire(signal, maxWaitMs = Infinity) {
      if (signal?.aborted) throw signal.reason;
      const startedAt = clock.now();
      await slot(signal, maxWaitMs);
      try {
        let waitedMs = 0;
        for (let wait = await take(); wait > 0; wait = await take()) {
          // A wait that would end past the limit is given up now, not at the limit.
          if (clock.now() - startedAt + wait > maxWaitMs) throw new BudgetWaitTimeout(maxWaitMs);
          await sleep(clock, wait, signal);
          waitedMs += wait;
        }
        if (waitedMs > 0) {
          logger?.debug('D3 rate limit wait', { key: budget.key, waitedMs: Math.round(waitedMs) });
        }
      } catch (error) {
        release();
        throw error;
      }
      let released = false;
      return () => {
        // Releasing twice must not free a second slot.
        if (released) return;
        released = true;
        release();
      };
    },
    async pause(ms) {
      logger?.warn('D3 rate limited: pausing every process of the budget', {
        key: budget.key,
        pauseMs: Math.round(ms),
      });
      try {
        await store.pause(budget, ms);
      } catch {
        // The 429 is retried after its Retry-After all the same; other processes just do not
        // hear of it while the store fails.
      }
    },
  };
}

/** A store's failure in words, without anything of a connection string. */
function describeStoreError(error: unknown): string {
  const name = error instanceof Error ? error.name : typeof error;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{2,32}$/.test(code) ? `${name} (${code})` : name;
}
