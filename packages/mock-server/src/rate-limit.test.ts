import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limit.js';

function fakeClock() {
  let time = 0;
  return { now: () => time, advance: (ms: number) => (time += ms) };
}

describe('createRateLimiter', () => {
  it('lets a full bucket of requests through at once, then refuses with a Retry-After', () => {
    const clock = fakeClock();
    const allow = createRateLimiter({ requestsPerSecond: 5, now: clock.now });
    const decisions = Array.from({ length: 7 }, () => allow('key:a'));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(5);
    expect(decisions[5]).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it('refills tokens at the configured rate', () => {
    const clock = fakeClock();
    const allow = createRateLimiter({ requestsPerSecond: 10, now: clock.now });
    for (let i = 0; i < 10; i += 1) allow('key:a');
    expect(allow('key:a').allowed).toBe(false);
    clock.advance(100);
    expect(allow('key:a').allowed).toBe(true);
    expect(allow('key:a').allowed).toBe(false);
  });

  it('keeps one bucket per credential', () => {
    const clock = fakeClock();
    const allow = createRateLimiter({ requestsPerSecond: 1, now: clock.now });
    expect(allow('key:a').allowed).toBe(true);
    expect(allow('key:a').allowed).toBe(false);
    expect(allow('key:b').allowed).toBe(true);
  });

  it('rounds Retry-After up to whole seconds at slow rates', () => {
    const clock = fakeClock();
    const allow = createRateLimiter({ requestsPerSecond: 0.25, burst: 1, now: clock.now });
    allow('key:a');
    expect(allow('key:a')).toEqual({ allowed: false, retryAfterSeconds: 4 });
  });

  it('rejects a rate that is not a positive number, naming the option', () => {
    expect(() => createRateLimiter({ requestsPerSecond: 0 })).toThrow(/requestsPerSecond/);
    expect(() => createRateLimiter({ requestsPerSecond: 5, burst: 0 })).toThrow(/burst/);
  });
});
