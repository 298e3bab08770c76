import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import {
  bucketCapacity,
  createSharedRateLimiter,
  localBucket,
  type RateLimitStore,
} from './rate-limit-store.js';
import { captureLogger } from './test-support/capture-logger.js';
import { createFakeClock } from './test-support/fake-clock.js';

/** A clock whose time is set by hand. */
const manualClock = () => {
  let now = 0;
  const clock: Clock = {
    now: () => now,
    epochMs: () => now,
    timer: () => ({ cancel() {}, keepAlive() {} }),
  };
  return { clock, advance: (ms: number) => (now += ms) };
};

describe('localBucket', () => {
  it('never grants more than its capacity plus rate × span in any span of time', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 400 }),
        (rate, gaps) => {
          const { clock, advance } = manualClock();
          const take = localBucket(rate, clock);
          const granted: number[] = [];
          for (const gap of gaps) {
            advance(gap);
            if (take() === 0) granted.push(clock.now());
          }
          const capacity = bucketCapacity(rate);
          for (let i = 0; i < granted.length; i++) {
            for (let j = i; j < granted.length; j++) {
              const span = granted[j]! - granted[i]!;
              expect(j - i + 1).toBeLessThanOrEqual(
                capacity + Math.floor((span * rate) / 1000) + 1,
              );
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('says how long to wait, and grants once that time has passed', () => {
    const { clock, advance } = manualClock();
    const take = localBucket(10, clock);
    for (let i = 0; i < bucketCapacity(10); i++) expect(take()).toBe(0);
    const wait = take();
    expect(wait).toBeCloseTo(100);
    advance(wait);
    expect(take()).toBe(0);
  });
});

describe('createSharedRateLimiter', () => {
  const failing = (onError: 'local' | 'fail'): RateLimitStore => ({
    key: undefined,
    onError,
    take: () =>
      Promise.reject(Object.assign(new Error('redis://:secret@host'), { code: 'ECONNREFUSED' })),
    pause: () => Promise.resolve(),
    close: () => Promise.resolve(),
  });
  const budget = { key: 'k', requestsPerSecond: 50 };

  it("falls back to this process's bucket with one warning that names no address", async () => {
    const logger = captureLogger();
    const limiter = createSharedRateLimiter({
      store: failing('local'),
      budget,
      maxConcurrency: 2,
      logger,
    });
    for (let i = 0; i < 3; i++) (await limiter.acquire())();
    const warnings = logger.at('warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('ECONNREFUSED');
    expect(warnings[0]).not.toContain('secret');
  });

  it("with onError: 'fail', refuses the grant and frees the slot", async () => {
    const limiter = createSharedRateLimiter({ store: failing('fail'), budget, maxConcurrency: 1 });
    await expect(limiter.acquire()).rejects.toMatchObject({ name: 'StoreUnavailable' });
    // The slot was given back: a second try fails the same way instead of waiting forever.
    await expect(limiter.acquire()).rejects.toMatchObject({ name: 'StoreUnavailable' });
  });

  it('gives up at maxWaitMs when the store asks for a longer wait, without sleeping through it', async () => {
    const asked: number[] = [];
    const store: RateLimitStore = {
      key: undefined,
      onError: 'fail',
      take: () => (asked.push(1), Promise.resolve(5_000)),
      pause: () => Promise.resolve(),
      close: () => Promise.resolve(),
    };
    const clock = createFakeClock();
    const limiter = createSharedRateLimiter({ store, budget, maxConcurrency: 1, clock });
    await expect(limiter.acquire(undefined, 1_000)).rejects.toMatchObject({
      name: 'BudgetWaitTimeout',
      maxWaitMs: 1_000,
    });
    expect(asked).toHaveLength(1);
    expect(clock.timers).toEqual([]);
    // The concurrency slot was given back.
    await expect(limiter.acquire(undefined, 1_000)).rejects.toMatchObject({
      name: 'BudgetWaitTimeout',
    });
  });
});
