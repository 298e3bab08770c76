import type { Clock } from '../clock.js';

/** A manual clock: time moves only through `advance`, which fires due sleeps in order. */
export interface FakeClock extends Clock {
  /** Moves time forward, resolving every sleep that falls due (and any they schedule). */
  advance(ms: number): Promise<void>;
  /** Durations of every `sleep` call so far, in call order. */
  readonly sleeps: number[];
  /** Resolves once some code is blocked in `sleep` (lets real I/O callbacks run meanwhile). */
  untilSleeping(): Promise<void>;
}

interface Sleeper {
  at: number;
  resolve: () => void;
}

export function createFakeClock(start = 0): FakeClock {
  let now = start;
  const sleepers: Sleeper[] = [];
  const sleeps: number[] = [];
  // Real macrotask turns, so stream reads and other I/O callbacks in the code under test settle.
  const flush = async (): Promise<void> => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  return {
    sleeps,
    now: () => now,
    async untilSleeping() {
      for (let turn = 0; sleepers.length === 0; turn++) {
        if (turn > 1000) throw new Error('nothing went to sleep');
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
    sleep(ms, signal) {
      sleeps.push(ms);
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const sleeper: Sleeper = { at: now + ms, resolve };
        sleepers.push(sleeper);
        signal?.addEventListener(
          'abort',
          () => {
            sleepers.splice(sleepers.indexOf(sleeper), 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    async advance(ms) {
      const target = now + ms;
      await flush();
      for (;;) {
        sleepers.sort((a, b) => a.at - b.at);
        const next = sleepers[0];
        if (!next || next.at > target) break;
        sleepers.shift();
        now = Math.max(now, next.at);
        next.resolve();
        await flush();
      }
      now = target;
      await flush();
    },
  };
}
