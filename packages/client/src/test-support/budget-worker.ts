// One process of the shared-budget tests: a client against the mock over loopback, with a Redis
// store when REDIS_URL is set, sending CALLS calls; prints what came back as one JSON line.
import { createD3Client } from '../client.js';
import { D3Error } from '../errors.js';
import { createRedisRateLimitStore } from '../redis/index.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is not set`);
  return value;
};
const calls = Number(env('CALLS'));
const requestsPerSecond = Number(env('RPS'));
const redisUrl = process.env['REDIS_URL'];
const warnings: string[] = [];
const infos: string[] = [];
const client = createD3Client({
  baseUrl: env('MOCK_URL'),
  username: 'Admin',
  site: 'Security Operations',
  auth: { apiKey: 'mock-api-key' },
  retry: false,
  logger: {
    debug() {},
    info: (message) => infos.push(message),
    warn: (message) => warnings.push(message),
    error() {},
  },
  rateLimit: {
    requestsPerSecond,
    maxConcurrency: 10,
    ...(redisUrl ? { store: createRedisRateLimitStore({ url: redisUrl, key: env('KEY') }) } : {}),
  },
});
const outcomes: Record<string, number> = {};
let next = 0;
// Wall-clock times, so a caller can span several processes.
const startedAt = Date.now();
await Promise.all(
  Array.from({ length: 10 }, async () => {
    while (next < calls) {
      next++;
      try {
        await client.setEventTechniques({ eventIds: [60250], techniques: ['T1569'] });
        outcomes['ok'] = (outcomes['ok'] ?? 0) + 1;
      } catch (error) {
        const name =
          error instanceof D3Error ? `${error.name} ${String(error.status ?? '')}` : 'other';
        outcomes[name] = (outcomes[name] ?? 0) + 1;
      }
    }
  }),
);
const endedAt = Date.now();
await client.close();
process.stdout.write(`${JSON.stringify({ outcomes, warnings, infos, startedAt, endedAt })}\n`);
