import {
  createMockD3,
  defaultSeed,
  mockDefaults,
  type MockD3,
  type MockD3Options,
} from '@d3soar/mock-server';
import { createD3Client, type D3Client, type D3ClientOptions } from '../client.js';

/** Any host works for in-process calls; `https` so the plain-http guard stays out of the way. */
export const IN_PROCESS_BASE = 'https://d3.mock.invalid/MainApp/VSOC';
export const SITE = 'Security Operations';

/** Retries with delays of a few milliseconds, so fault tests stay fast. */
export const FAST_RETRY = { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 4, maxRetryAfterMs: 4 };

/** A mock D3 plus a client wired to its in-process `fetch`. */
export function mockWithClient(
  mockOptions: MockD3Options = {},
  clientOptions: Partial<D3ClientOptions> = {},
): { mock: MockD3; client: D3Client } {
  const mock = createMockD3({ rateLimit: false, ...mockOptions });
  return { mock, client: clientFor(mock, clientOptions) };
}

/** A client for `mock` with test defaults (API key auth, fast retries, no client rate limit). */
export function clientFor(mock: MockD3, options: Partial<D3ClientOptions> = {}): D3Client {
  return createD3Client({
    baseUrl: IN_PROCESS_BASE,
    username: 'Admin',
    site: SITE,
    auth: { apiKey: mockDefaults.apiKey },
    fetch: mock.fetch,
    retry: FAST_RETRY,
    rateLimit: false,
    ...options,
  });
}

/** An incident of the default data set in {@link SITE}. */
export function seedIncident(index = 0) {
  const incident = defaultSeed.incidents.filter((i) => i.Site === SITE)[index];
  if (!incident) throw new Error(`the default seed has no incident #${index} in ${SITE}`);
  return incident;
}

/** Event IDs of the default data set in {@link SITE}. */
export function seedEventIds(count: number): number[] {
  return defaultSeed.events
    .filter((e) => e.Site === SITE)
    .slice(0, count)
    .map((e) => e.EventId);
}
