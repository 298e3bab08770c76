import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createD3Client } from './client.js';
import { D3ResponseError } from './errors.js';
import { createRawClient } from './raw-client.js';
import { captureLogger } from './test-support/capture-logger.js';
import { FAST_RETRY, SITE } from './test-support/mock-client.js';

const API_KEY = 'live-api-key-redirect-7f3a9c21';

interface Listener {
  origin: string;
  port: number;
  received: string[];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

/** A real listener on 127.0.0.1 that records every request (method, path, headers, body). */
async function listen(answer: (request: IncomingMessage) => [number, Record<string, string>]) {
  const received: string[] = [];
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      received.push(`${request.method} ${request.url} ${JSON.stringify(request.headers)} ${body}`);
      const [status, headers] = answer(request);
      response.writeHead(status, headers).end('{"error":""}');
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return { origin: `http://127.0.0.1:${port}`, port, received } satisfies Listener;
}

describe('redirects over real loopback listeners', () => {
  it('never follows a redirect: the host it points to receives nothing, not even the key', async () => {
    const elsewhere = await listen(() => [200, { 'content-type': 'application/json' }]);
    const statuses = [301, 302, 303, 307, 308];
    let next = 0;
    const d3 = await listen((request) => [
      statuses[next++ % statuses.length]!,
      { location: `${elsewhere.origin}${request.url}?key=${API_KEY}` },
    ]);
    const logger = captureLogger();
    const client = createD3Client({
      baseUrl: `${d3.origin}/MainApp/VSOC`,
      username: 'Admin',
      site: SITE,
      auth: { apiKey: API_KEY },
      retry: FAST_RETRY,
      rateLimit: false,
      logger,
      // No `fetch` option: the global fetch (undici), which would follow redirects by default.
    });
    const calls = [
      () =>
        client.triggerIncidentExternalAction({
          where: { Number: '20230413-123' },
          triggerData: { note: 'once' },
        }),
      () => client.setEventTechniques({ eventIds: [60250], techniques: ['T1569'] }),
      () => client.saveArtifacts({ incidentNumber: '20230413-123', artifacts: ['10.1.2.3'] }),
      () =>
        client.raw.POST('/Command/TriggerIncidentExternalAction', {
          body: {
            Username: 'Admin',
            Site: SITE,
            CommandParams: { 'Search Conditions': { Number: '1' }, 'Trigger Data': {} },
          },
        }),
      () => client.setEventTechniques({ eventIds: [60251], techniques: ['T1569'] }),
    ];
    for (const call of calls) {
      const error: unknown = await call().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(D3ResponseError);
      expect(error).toMatchObject({ attempts: 1, outcome: 'unknown' });
      const { message } = error as D3ResponseError;
      expect(message).toContain(`to http://127.0.0.1:${elsewhere.port}/MainApp/VSOC/api/Command/`);
      expect(message).toContain('check baseUrl');
      expect(message).not.toContain(API_KEY);
    }
    // Each call reached the first server exactly once (no retry), and nothing went further.
    expect(d3.received).toHaveLength(calls.length);
    expect(d3.received.every((line) => line.includes(API_KEY))).toBe(true);
    expect(elsewhere.received).toEqual([]);
    expect(logger.lines.join('\n')).not.toContain(API_KEY);
  });

  it('makes createRawClient hand back the redirect instead of following it', async () => {
    const elsewhere = await listen(() => [200, {}]);
    const d3 = await listen(() => [307, { location: `${elsewhere.origin}/steal` }]);
    const raw = createRawClient({ baseUrl: d3.origin, headers: { d3key: API_KEY } });
    const { response } = await raw.POST('/Command/SetEventTechniques', {
      body: { Username: 'Admin', Site: SITE, CommandParams: { 'Event IDs': [1] } },
    });
    expect(response.status).toBe(307);
    expect(d3.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
  });
});
