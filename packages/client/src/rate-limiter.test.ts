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
  it('lets a burst of requestsPerSecond through, then one more per 1/rate seconds', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 4, maxConcurrency: 100 }, clock);
    const grants = Array.from({ length: 8 }, () => limiter.acquire().then((release) => release()));
    expect(await settled(grants)).toBe(4);
    await clock.advance(250);
    expect(await settled(grants)).toBe(5);
    await clock.advance(750);
    expect(await settled(grants)).toBe(8);
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
