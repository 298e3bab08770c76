/**
 * Time source and timers, injectable so timeouts, retries and the rate limiter can be tested
 * without waiting on real time.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin, monotonic; only differences are used. */
  now(): number;
  /** Milliseconds since the Unix epoch (wall time), to read `Retry-After` HTTP dates. */
  epochMs(): number;
  /** Calls `callback` after `ms`. */
  timer(ms: number, callback: () => void): Timer;
}

/** A pending {@link Clock.timer}. */
export interface Timer {
  /** Stops it: the callback is not called. */
  cancel(): void;
  /**
   * Whether the pending timer keeps the process running (it does from the start). A timer left
   * armed while nothing waits on it must not hold the process open.
   */
  keepAlive(keep: boolean): void;
}

/** The real clock: `performance.now()`, `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: Date.now,
  timer: (ms, callback) => {
    const handle = setTimeout(callback, ms);
    return {
      cancel: () => clearTimeout(handle),
      keepAlive: (keep) => (keep ? handle.ref() : handle.unref()),
    };
  },
};

/** Resolves after `ms` on `clock`; rejects with `signal.reason` as soon as `signal` aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the caller's own abort reason, whatever it is, as AbortSignal APIs do
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      timer.cancel();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the caller's own abort reason, whatever it is, as AbortSignal APIs do
      reject(signal?.reason);
    };
    const timer = clock.timer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Options of {@link waitInQueue}. */
export interface QueueWaitOptions {
  /** Ends the wait with `signal.reason`. */
  signal?: AbortSignal | undefined;
  /** Ends the wait with `timeoutReason()` after this long (no timer when infinite). */
  maxWaitMs: number;
  timeoutReason: () => unknown;
  clock: Clock;
  /** Called once the entry is queued: the queue's owner may serve it at once. */
  serve?: () => void;
}

/**
 * Queues an entry in `queue` (served from the front by its owner, who calls the entry with what
 * it grants) and resolves with the grant. An abort or the time limit removes the entry and
 * rejects. A timer is started only for an entry still waiting after `serve`.
 */
export function waitInQueue<T>(
  queue: ((grant: T) => void)[],
  { signal, maxWaitMs, timeoutReason, clock, serve }: QueueWaitOptions,
): Promise<T> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the caller's own abort reason, whatever it is, as AbortSignal APIs do
      reject(signal.reason);
      return;
    }
    let limit: Timer | undefined;
    const giveUp = (reason: unknown): void => {
      const index = queue.indexOf(entry);
      if (index >= 0) queue.splice(index, 1);
      signal?.removeEventListener('abort', onAbort);
      limit?.cancel();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the caller's own abort reason, whatever it is, as AbortSignal APIs do
      reject(reason);
    };
    const onAbort = (): void => giveUp(signal?.reason);
    const entry = (grant: T): void => {
      signal?.removeEventListener('abort', onAbort);
      limit?.cancel();
      resolve(grant);
    };
    queue.push(entry);
    signal?.addEventListener('abort', onAbort, { once: true });
    serve?.();
    // Still last in the queue (it is served from the front): it has to wait.
    if (queue.at(-1) === entry && Number.isFinite(maxWaitMs)) {
      limit = clock.timer(maxWaitMs, () => giveUp(timeoutReason()));
    }
  });
}
