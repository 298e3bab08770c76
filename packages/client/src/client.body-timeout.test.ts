import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createD3Client, type D3ClientOptions } from './client.js';
import { D3AbortError, D3Error, D3NetworkError, D3TimeoutError } from './errors.js';
import { SITE } from './test-support/mock-client.js';

// The time limit covers the answer's body, which openapi-fetch reads after the pipeline has
// returned: through the typed methods and `client.raw` alike, with a `fetch` that ignores its
// signal and with the global `fetch` over a real socket.

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise((done) => server.close(done));
    }),
  );
});

/** A loopback server that sends a 200's headers and the start of a body, then nothing more. */
async function stallingServer(): Promise<string> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"error":"","returnData":');
    });
  });
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/MainApp/VSOC`;
}

/** A `fetch` that ignores its signal and answers 200 with a body that never ends. */
const endlessFetch = async (request: Request): Promise<Response> => {
  await request.text();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"error":'));
    },
  });
  return new Response(body, { headers: { 'content-type': 'application/json' } });
};

const clientOf = (options: Partial<D3ClientOptions>) =>
  createD3Client({
    baseUrl: 'https://d3site.net/MainApp/VSOC',
    username: 'Admin',
    site: SITE,
    auth: { apiKey: 'body-timeout-key' },
    rateLimit: false,
    retry: { maxAttempts: 1 },
    timeoutMs: 60,
    ...options,
  });

const rawSet = (client: ReturnType<typeof createD3Client>) =>
  client.raw.POST('/Command/SetEventTechniques', {
    body: {
      Username: 'Admin',
      Site: SITE,
      CommandParams: { 'Event IDs': [1], Techniques: ['System Services'] },
    },
  });

const failureOf = (pending: Promise<unknown>): Promise<D3Error> =>
  pending.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: unknown) => {
      expect(error).toBeInstanceOf(D3Error);
      return error as D3Error;
    },
  );

describe('the time limit covers the answer’s body', () => {
  for (const [name, fetchOption] of [
    ['a fetch that ignores its signal', { fetch: endlessFetch }],
    ['the global fetch over a socket', undefined],
  ] as const) {
    it(`fails a stalled body with D3TimeoutError: ${name}`, async () => {
      const options = fetchOption ?? { baseUrl: await stallingServer() };
      const client = clientOf(options);
      for (const pending of [
        client.setEventTechniques({ eventIds: [1], techniques: ['T1569'] }),
        rawSet(client),
      ]) {
        const error = await failureOf(pending);
        expect(error).toBeInstanceOf(D3TimeoutError);
        // The server answered: the command may have run.
        expect(error).toMatchObject({ outcome: 'unknown', timeoutMs: 60, attempts: 1 });
      }
    });
  }

  it('fails a body read the caller aborts with D3AbortError', async () => {
    const client = clientOf({ baseUrl: await stallingServer(), timeoutMs: 60_000 });
    for (const send of [
      (signal: AbortSignal) =>
        client.setEventTechniques({ eventIds: [1], techniques: ['T1569'], signal }),
      (signal: AbortSignal) =>
        client.raw.POST('/Command/SetEventTechniques', {
          body: { Username: 'Admin', Site: SITE, CommandParams: { 'Event IDs': [1] } },
          signal,
        }),
    ]) {
      const controller = new AbortController();
      const pending = failureOf(send(controller.signal));
      setTimeout(() => controller.abort(), 50);
      const error = await pending;
      expect(error).toBeInstanceOf(D3AbortError);
      expect(error.outcome).toBe('unknown');
    }
  });

  it('reports a connection cut in the middle of a body as D3NetworkError', async () => {
    const server = createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
        response.write('{"error":', () => response.destroy());
      });
    });
    servers.push(server);
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    const { port } = server.address() as AddressInfo;
    const client = clientOf({ baseUrl: `http://127.0.0.1:${port}/MainApp/VSOC`, timeoutMs: 5000 });
    for (const pending of [
      client.setEventTechniques({ eventIds: [1], techniques: ['T1569'] }),
      rawSet(client),
    ]) {
      const error = await failureOf(pending);
      expect(error).toBeInstanceOf(D3NetworkError);
      expect(error.outcome).toBe('unknown');
    }
  });
});
