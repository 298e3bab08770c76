import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { inspect } from 'node:util';
import { createMockD3, type Fault } from '@d3soar/mock-server';
import { afterAll, describe, expect, it } from 'vitest';
import type { D3Auth } from './auth.js';
import { createD3Client } from './client.js';
import { D3AuthError, D3Error, D3NetworkError, D3ResponseError } from './errors.js';
import { captureLogger } from './test-support/capture-logger.js';
import {
  clientFor,
  FAST_RETRY,
  seedEventIds,
  seedIncident,
  SITE,
} from './test-support/mock-client.js';

const API_KEY = 'live-api-key-0f3c9a7e51d24b8c';
const JWT_SECRET = 'live-jwt-secret-7d1e44c0b9a2f6e3';
// An opaque token (not JWT-shaped), so only the redactor's memory of it can hide it.
const TOKEN = 'opaque-token-5be1c7d93a0f';
const JWT_SHAPE = /eyJ[\w-]*\.[\w-]+\.[\w-]*/;
const SECRETS = [API_KEY, JWT_SECRET, TOKEN];

const auths: [string, D3Auth][] = [
  ['an API key', { apiKey: API_KEY }],
  ['a JWT secret', { jwtSecret: JWT_SECRET }],
  ['a token function', { token: () => Promise.resolve(TOKEN), headerName: 'd3key' }],
];

function expectNoSecret(texts: readonly string[]): void {
  for (const text of texts) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    expect(text).not.toMatch(JWT_SHAPE);
  }
}

const faults: Fault[] = [
  { type: 'status', status: 400 },
  { type: 'status', status: 429, retryAfterSeconds: 1 },
  { type: 'status', status: 500 },
  { type: 'html' },
  { type: 'drop' },
  { type: 'truncated' },
  { type: 'command-error', message: 'Something failed.' },
  { type: 'latency', ms: 60 },
];

/**
 * Everything an error can show: message, stack, toJSON, util.inspect (what console prints), and
 * the message, stack and own fields of every error down its `cause` chain.
 */
function everythingShown(error: D3Error): string {
  const shown = [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })];
  for (let cause: unknown = error.cause; cause !== undefined;) {
    shown.push(inspect(cause, { depth: 10 }));
    if (cause instanceof Error) shown.push(cause.message, String(cause.stack));
    cause = (Object(cause) as { cause?: unknown }).cause;
  }
  return shown.join('\n');
}

async function failureOf(call: () => Promise<unknown>): Promise<D3Error> {
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(D3Error);
  return error as D3Error;
}

describe('secrets never leak', () => {
  for (const [label, auth] of auths) {
    it(`keeps ${label} and every token out of errors and log lines, whatever fails`, async () => {
      const mock = createMockD3({
        rateLimit: false,
        apiKeys: [API_KEY, TOKEN],
        jwtSecrets: [JWT_SECRET],
      });
      const logger = captureLogger();
      const client = clientFor(mock, { auth, logger, timeoutMs: 30 });
      const shown: string[] = [];
      for (const fault of faults) {
        mock.clearFaults();
        mock.inject('*', fault);
        for (const call of [
          () => client.setEventTechniques({ eventIds: seedEventIds(1), techniques: ['T1569'] }),
          () =>
            client.triggerIncidentExternalAction({
              where: { Number: seedIncident().Number },
              triggerData: { note: 'x' },
            }),
        ]) {
          const error = await call().then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(D3Error);
          shown.push(everythingShown(error as D3Error));
        }
      }
      // A wrong credential too: the server's 401 path.
      const wrong = clientFor(mock, { auth: { apiKey: `${API_KEY}-revoked` }, logger });
      mock.clearFaults();
      const denied: unknown = await wrong
        .saveArtifacts({ incidentNumber: seedIncident().Number, artifacts: ['10.9.8.7'] })
        .catch((e: unknown) => e);
      expect(denied).toBeInstanceOf(D3Error);
      shown.push(everythingShown(denied as D3Error));

      expect(logger.lines.length).toBeGreaterThan(faults.length);
      expect(logger.lines.some((line) => line.includes('[REDACTED]'))).toBe(true);
      expectNoSecret([...shown, ...logger.lines]);
    });

    it(`keeps ${label} out of the error when fetch throws with the request headers in its message`, async () => {
      const logger = captureLogger();
      const leakyFetch = (request: Request): Promise<Response> => {
        const headers = JSON.stringify(Object.fromEntries(request.headers));
        return Promise.reject(
          new TypeError(`fetch failed; sent ${headers}`, {
            cause: Object.assign(new Error(`socket closed after ${headers}`), {
              code: 'ECONNRESET',
            }),
          }),
        );
      };
      const client = createD3Client({
        baseUrl: 'https://d3.mock.invalid/MainApp/VSOC',
        username: 'Admin',
        site: SITE,
        auth,
        fetch: leakyFetch,
        retry: FAST_RETRY,
        rateLimit: false,
        logger,
      });
      const error = await failureOf(() =>
        client.setEventTechniques({ eventIds: seedEventIds(1), techniques: ['T1569'] }),
      );
      expect(error).toBeInstanceOf(D3NetworkError);
      // The failure is reported (headers included), with the credential scrubbed.
      expect(error.message).toContain('[REDACTED]');
      expectNoSecret([everythingShown(error), ...logger.lines]);
    });

    it(`keeps ${label} out of the error when D3 redirects to a URL that quotes it`, async () => {
      // The redirect quotes the credential it received in the user info, the path and the query.
      const server: Server = createServer((request, response) => {
        request.resume();
        const sent = String(request.headers.d3key ?? request.headers.d3jwt);
        response
          .writeHead(302, { location: `https://u:${sent}@elsewhere.example/${sent}?k=${sent}` })
          .end();
      });
      servers.push(server);
      await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
      const { port } = server.address() as AddressInfo;
      const logger = captureLogger();
      const client = createD3Client({
        baseUrl: `http://127.0.0.1:${port}/MainApp/VSOC`,
        username: 'Admin',
        site: SITE,
        auth,
        retry: FAST_RETRY,
        rateLimit: false,
        logger,
      });
      const error = await failureOf(() =>
        client.triggerIncidentExternalAction({ where: { Number: '1' }, triggerData: {} }),
      );
      expect(error).toBeInstanceOf(D3ResponseError);
      expect(error.message).toContain('redirect (302) to https://elsewhere.example/[REDACTED]');
      expectNoSecret([everythingShown(error), ...logger.lines]);
    });
  }

  it('keeps whatever a failing token function says out of errors and log lines', async () => {
    const VAULT_SECRET = 'opaque-SECRET-123';
    const failures: (() => string | Promise<string>)[] = [
      () => {
        throw new Error(`vault rejected token ${VAULT_SECRET}`);
      },
      () => Promise.reject(new Error('vault error', { cause: new Error(`token ${VAULT_SECRET}`) })),
      () =>
        Promise.reject(Object.assign(new Error(VAULT_SECRET), { name: 'VaultError', code: 403 })),
      () => {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a provider may throw anything, a bare secret string included, and that is the case under test
        throw VAULT_SECRET;
      },
    ];
    const mock = createMockD3({ rateLimit: false });
    for (const token of failures) {
      const logger = captureLogger();
      const client = clientFor(mock, { auth: { token }, logger });
      const error = await failureOf(() =>
        client.triggerIncidentExternalAction({ where: { Number: '1' }, triggerData: {} }),
      );
      expect(error).toBeInstanceOf(D3AuthError);
      expect(error).toMatchObject({ outcome: 'not_sent', attempts: 0 });
      expect(error.message).toMatch(/auth\.token\(\) threw \w+/);
      for (const text of [everythingShown(error), ...logger.lines]) {
        expect(text).not.toContain(VAULT_SECRET);
      }
    }
    expect(mock.state.requests.TriggerIncidentExternalAction).toBe(0);
  });
});

const servers: Server[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise((done) => s.close(done))));
});
