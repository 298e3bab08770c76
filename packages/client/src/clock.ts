/**
 * Time source and timers, injectable so timeouts, retries and the rate limiter can be tested
 * without waiting on real time.
 */
export interface Clock {
  /** Milliseconds since an arbitrary origin, monotonic; only differences are used. */
  now(): number;
  /** Milliseconds since the Unix epoch (wall time), to read `Retry-After` HTTP dates. */
  epochMs(): number;
  /** Calls `callback` after `ms`; the returned function cancels it. */
  timer(ms: number, callback: () => void): () => void;
}

/** The real clock: `performance.now()`, `Date.now()` and `setTimeout`. */
export const systemClock: Clock = {
  now: () => performance.now(),
  epochMs: Date.now,
  timer: (ms, callback) => {
    const handle = setTimeout(callback, ms);
    return () => clearTimeout(handle);
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
      cancel();
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- rejects with the caller's own abort reason, whatever it is, as AbortSignal APIs do
      reject(signal?.reason);
    };
    const cancel = clock.timer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
