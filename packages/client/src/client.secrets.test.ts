import { inspect } from 'node:util';
import { createMockD3, type Fault } from '@d3soar/mock-server';
import { describe, expect, it } from 'vitest';
import type { D3Auth } from './auth.js';
import { D3Error } from './errors.js';
import { captureLogger } from './test-support/capture-logger.js';
import { clientFor, seedEventIds, seedIncident } from './test-support/mock-client.js';

const API_KEY = 'live-api-key-0f3c9a7e51d24b8c';
const JWT_SECRET = 'live-jwt-secret-7d1e44c0b9a2f6e3';
const JWT_SHAPE = /eyJ[\w-]*\.[\w-]+\.[\w-]*/;

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

/** Everything an error can show: message, stack, toJSON, util.inspect (what console prints). */
function everythingShown(error: D3Error): string {
  return [error.message, error.stack, JSON.stringify(error), inspect(error, { depth: 10 })].join(
    '\n',
  );
}

describe('secrets never leak', () => {
  const auths: [string, D3Auth][] = [
    ['an API key', { apiKey: API_KEY }],
    ['a JWT secret', { jwtSecret: JWT_SECRET }],
  ];

  for (const [label, auth] of auths) {
    it(`keeps ${label} and every token out of errors and log lines, whatever fails`, async () => {
      const mock = createMockD3({ rateLimit: false, apiKeys: [API_KEY], jwtSecrets: [JWT_SECRET] });
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
      for (const text of [...shown, ...logger.lines]) {
        expect(text).not.toContain(API_KEY);
        expect(text).not.toContain(JWT_SECRET);
        expect(text).not.toMatch(JWT_SHAPE);
      }
    });
  }
});
