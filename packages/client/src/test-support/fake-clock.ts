import type { Clock } from '../clock.js';

/** A manual clock: time moves only through `advance`, which fires due timers in order. */
export interface FakeClock extends Clock {
  /** Moves time forward, firing every timer that falls due (and any they start). */
  advance(ms: number): Promise<void>;
  /** Durations of every timer started so far (timeouts, backoff waits, rate-limit waits). */
  readonly timers: number[];
  /** Resolves once a timer of `ms` (any timer, when omitted) is pending; real I/O runs meanwhile. */
  untilTimer(ms?: number): Promise<void>;
}

interface PendingTimer {
  at: number;
  ms: number;
  callback: () => void;
}

/** A {@link FakeClock} starting at `start` ms (also its epoch time). */
export function createFakeClock(start = 0): FakeClock {
  let now = start;
  const pending: PendingTimer[] = [];
  const timers: number[] = [];
  // Real macrotask turns, so stream reads and other I/O callbacks in the code under test settle.
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    timers,
    now: () => now,
    epochMs: () => now,
    timer(ms, callback) {
      timers.push(ms);
      const entry: PendingTimer = { at: now + ms, ms, callback };
      pending.push(entry);
      return {
        cancel() {
          const index = pending.indexOf(entry);
          if (index >= 0) pending.splice(index, 1);
        },
        // Fake time keeps nothing alive.
        keepAlive() {},
      };
    },
    async untilTimer(ms) {
      for (let turn = 0; !pending.some((t) => ms === undefined || t.ms === ms); turn++) {
        if (turn > 1000)
          throw new Error(`no timer${ms === undefined ? '' : ` of ${ms} ms`} started`);
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    async advance(ms) {
      const target = now + ms;
      await flush();
      for (;;) {
        pending.sort((a, b) => a.at - b.at);
        const next = pending[0];
        if (!next || next.at > target) break;
        pending.shift();
        now = Math.max(now, next.at);
        next.callback();
        await flush();
      }
      now = target;
      await flush();
    },
  };
}
