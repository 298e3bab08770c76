import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';
import { createFakeClock } from './test-support/fake-clock.js';

async function settled(promises: Promise<unknown>[]): Promise<number> {
  let done = 0;
  for (const p of promises)
    void p.then(
      () => done++,
      () => done++,
    );
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}

describe('createRateLimiter', () => {
  it('lets a burst of requestsPerSecond through, then waits until the burst is a second old', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 4, maxConcurrency: 100 }, clock);
    const grants = Array.from({ length: 8 }, () => limiter.acquire().then((release) => release()));
    expect(await settled(grants)).toBe(4);
    await clock.advance(999);
    expect(await settled(grants)).toBe(4);
    await clock.advance(1);
    expect(await settled(grants)).toBe(8);
  });

  it('never starts more than requestsPerSecond requests in any one-second window', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 6 }),
        // Arrival times of the requests, as gaps in ms from the previous one.
        fc.array(fc.integer({ min: 0, max: 700 }), { minLength: 1, maxLength: 25 }),
        async (rate, gaps) => {
          const clock = createFakeClock();
          const limiter = createRateLimiter(
            { requestsPerSecond: rate, maxConcurrency: 100 },
            clock,
          );
          const started: number[] = [];
          const all: Promise<void>[] = [];
          for (const gap of gaps) {
            await clock.advance(gap);
            all.push(
              limiter.acquire().then((release) => {
                started.push(clock.now());
                release();
              }),
            );
          }
          await clock.advance(gaps.length * 1000);
          await Promise.all(all);
          expect(started).toHaveLength(gaps.length);
          // Any one-second window [t, t + 1000) that holds requests starts at one of them.
          for (const from of started) {
            const inWindow = started.filter((t) => t >= from && t < from + 1000);
            expect(inWindow.length).toBeLessThanOrEqual(rate);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('spaces requests 1/requestsPerSecond seconds apart for rates below one per second', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 0.5, maxConcurrency: 10 }, clock);
    const grants = Array.from({ length: 3 }, () => limiter.acquire());
    expect(await settled(grants)).toBe(1);
    await clock.advance(1999);
    expect(await settled(grants)).toBe(1);
    await clock.advance(1);
    expect(await settled(grants)).toBe(2);
  });

  it('holds requests beyond maxConcurrency until a slot is released', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 1000, maxConcurrency: 2 }, clock);
    const first = await limiter.acquire();
    await limiter.acquire();
    const third = limiter.acquire();
    expect(await settled([third])).toBe(0);
    first();
    first(); // releasing twice must not free a second slot
    expect(await settled([third])).toBe(1);
    const fourth = limiter.acquire();
    expect(await settled([fourth])).toBe(0);
  });

  it('serves waiters in arrival order', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 1, maxConcurrency: 10 }, clock);
    const order: number[] = [];
    const all = [0, 1, 2].map((i) => limiter.acquire().then(() => order.push(i)));
    await clock.advance(3000);
    await Promise.all(all);
    expect(order).toEqual([0, 1, 2]);
  });

  it('drops an aborted waiter with the signal reason and keeps serving the others', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 1, maxConcurrency: 10 }, clock);
    await limiter.acquire();
    const controller = new AbortController();
    const aborted = limiter.acquire(controller.signal);
    const next = limiter.acquire();
    controller.abort(new Error('stop'));
    await expect(aborted).rejects.toThrow('stop');
    await clock.advance(1000);
    expect(await settled([next])).toBe(1);
  });

  it('rejects impossible settings, naming the option', () => {
    expect(() => createRateLimiter({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
    expect(() => createRateLimiter({ maxConcurrency: 1.5 })).toThrow(/maxConcurrency/);
  });
});
