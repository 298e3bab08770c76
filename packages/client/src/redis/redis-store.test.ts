import { createMockD3, type MockD3 } from '@d3soar/mock-server';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createD3Client } from '../client.js';
import { D3RateLimitStoreError } from '../errors.js';
import { startRedisServer, type RedisServer } from '../test-support/redis-server.js';
import {
  idleClientScript,
  runBudgetWorkers,
  runScript,
  workersSpanMs,
  type BudgetWorkerReport,
} from '../test-support/run-script.js';
import { createRedisRateLimitStore } from './index.js';

// Against a real redis-server on a free loopback port, and real processes: the budget is shared
// by processes that know nothing of each other but the Redis store.

let redis: RedisServer;
beforeAll(async () => {
  redis = await startRedisServer();
}, 20_000);
afterAll(async () => {
  await redis.close();
});

/** A mock over loopback with an installation limit of `rps` requests per second. */
async function limitedMock(rps: number): Promise<{ mock: MockD3; url: string }> {
  const mock = createMockD3({ rateLimit: { requestsPerSecond: rps } });
  return { mock, url: await mock.listen() };
}

/** Two calls through a store on `REDIS_URL`, never closing it. */
const unclosedStore = idleClientScript({
  imports: "import { createRedisRateLimitStore } from './src/redis/index.ts';",
  options: 'rateLimit: { store: createRedisRateLimitStore({ url: process.env.REDIS_URL }) }',
  calls: 2,
});

/** Resolves once `condition` holds, checking every 20 ms. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 20));
}

const sum = (results: BudgetWorkerReport[], outcome: string) =>
  results.reduce((total, result) => total + (result.outcomes[outcome] ?? 0), 0);

describe('a Redis rate limit store shared by processes', { timeout: 60_000 }, () => {
  it('keeps 4 processes together within the installation’s budget: no 429', async () => {
    const rps = 200;
    const calls = 100;
    const { mock, url } = await limitedMock(rps);
    try {
      const results = await runBudgetWorkers(4, {
        MOCK_URL: url,
        REDIS_URL: redis.url,
        KEY: 'test:shared',
        CALLS: String(calls),
        RPS: String(rps),
      });
      expect(sum(results, 'ok')).toBe(4 * calls);
      expect(mock.state.statuses['429'] ?? 0).toBe(0);
      // 400 requests through a bucket of 100 refilled at 200/s: at least 1.5 s of waiting,
      // timed by the workers from their first call (starting a process takes longer than that).
      expect(workersSpanMs(results)).toBeGreaterThanOrEqual(((4 * calls - rps / 2) / rps) * 1000);
    } finally {
      await mock.close();
    }
  });

  it('shows the test can fail: the same run with each process on its own budget gets 429s', async () => {
    const rps = 200;
    const { mock, url } = await limitedMock(rps);
    try {
      // More calls than in the shared run, so the processes overlap however they start.
      const results = await runBudgetWorkers(4, { MOCK_URL: url, CALLS: '300', RPS: String(rps) });
      expect(sum(results, 'D3RateLimitError 429')).toBeGreaterThan(0);
      expect(mock.state.statuses['429'] ?? 0).toBeGreaterThan(0);
    } finally {
      await mock.close();
    }
  });

  it('keeps working when Redis stops mid-run, sends nothing twice, and shares again after a restart', async () => {
    const mock = createMockD3({ rateLimit: false });
    const url = await mock.listen();
    try {
      const running = runBudgetWorkers(2, {
        MOCK_URL: url,
        REDIS_URL: redis.url,
        KEY: 'test:outage',
        CALLS: '400',
        RPS: '200',
      });
      // By progress, not by the clock: a loaded machine starts the workers late.
      const served = () => mock.state.requests.SetEventTechniques;
      await until(() => served() >= 200);
      await redis.stop();
      const atStop = served();
      await until(() => served() >= atStop + 150);
      await redis.start();
      const results = await running;
      expect(sum(results, 'ok')).toBe(800);
      expect(served()).toBe(800);
      for (const result of results) {
        expect(result.warnings).toContain(
          'D3 rate limit store unavailable: limiting this process alone',
        );
        expect(result.infos).toContain('D3 rate limit store available again: sharing the budget');
      }
    } finally {
      await mock.close();
    }
  });
});

describe('the Redis store in one process', { timeout: 30_000 }, () => {
  it('pauses every client of the budget when one of them gets a 429', async () => {
    const mock = createMockD3({ rateLimit: false });
    const url = await mock.listen();
    const clientWith = (key: string) =>
      createD3Client({
        baseUrl: url,
        username: 'Admin',
        site: 'Security Operations',
        auth: { apiKey: 'mock-api-key' },
        retry: false,
        rateLimit: { store: createRedisRateLimitStore({ url: redis.url, key }) },
      });
    const first = clientWith('test:pause');
    const second = clientWith('test:pause');
    try {
      mock.inject(
        'SetEventTechniques',
        { type: 'status', status: 429, retryAfterSeconds: 1 },
        {
          times: 1,
        },
      );
      const input = { eventIds: [60250], techniques: ['T1569'] };
      await expect(first.setEventTechniques(input)).rejects.toMatchObject({ status: 429 });
      const started = performance.now();
      await second.setEventTechniques(input);
      // The other client waited out the Retry-After it never saw itself.
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      await Promise.all([first.close(), second.close(), mock.close()]);
    }
  });

  it("with onError: 'fail', a call fails with D3RateLimitStoreError naming no address or password", async () => {
    const url = 'redis://:store-password-1234@127.0.0.1:1';
    const client = createD3Client({
      baseUrl: 'https://d3.example.invalid/MainApp/VSOC',
      username: 'Admin',
      site: 'S',
      auth: { apiKey: 'store-test-key' },
      fetch: () => Promise.reject(new Error('nothing may be sent')),
      rateLimit: { store: createRedisRateLimitStore({ url, onError: 'fail' }) },
    });
    try {
      const error: unknown = await client
        .setEventTechniques({ eventIds: [1], techniques: ['T1569'] })
        .catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(D3RateLimitStoreError);
      expect(error).toMatchObject({ outcome: 'not_sent', attempts: 0 });
      const shown = `${String(error)} ${JSON.stringify(error)}`;
      expect(shown).not.toContain('store-password-1234');
      expect(shown).not.toContain('127.0.0.1:1');
    } finally {
      await client.close();
    }
  });

  it('holds no process open once its calls are over, whether Redis is up or away', async () => {
    const [up, away] = await Promise.all([
      runScript(unclosedStore, { REDIS_URL: redis.url }, 20_000),
      // Nothing listens on port 1: every connection attempt is refused.
      runScript(unclosedStore, { REDIS_URL: 'redis://127.0.0.1:1' }, 20_000),
    ]);
    expect(up).toEqual({ code: 0, stdout: 'done\n' });
    expect(away).toEqual({ code: 0, stdout: 'done\n' });
  }, 30_000);

  it('grants a full bucket at once, then one token per interval, on the server’s clock', async () => {
    const store = createRedisRateLimitStore({ url: redis.url });
    const budget = { key: 'test:bucket', requestsPerSecond: 5 };
    try {
      const waits: number[] = [];
      for (let i = 0; i < 3; i++) waits.push(await store.take(budget));
      // A bucket of half a second's worth (2 tokens at 5/s): two granted, then a wait of about
      // one interval (200 ms).
      expect(waits.slice(0, 2)).toEqual([0, 0]);
      expect(waits[2]).toBeGreaterThan(100);
      expect(waits[2]).toBeLessThanOrEqual(200);
      const direct = new Redis(redis.url);
      try {
        await expect(direct.exists('test:bucket:bucket')).resolves.toBe(1);
      } finally {
        direct.disconnect();
      }
    } finally {
      await store.close();
    }
  });
});
