import { createApp } from './app.js';
import { createAuthenticator } from './auth.js';
import { createArtifactStore } from './commands/artifact-store.js';
import { createSaveArtifactForIncident } from './commands/save-artifact-for-incident.js';
import { createSetEventTechniques } from './commands/set-event-techniques.js';
import { createTriggerIncidentExternalAction } from './commands/trigger-incident-external-action.js';
import { checkRequestAgainstContract } from './contract.js';
import { defaultSeed } from './default-seed.js';
import { isDropped } from './fault-responses.js';
import { checkFault, createFaultBook } from './faults.js';
import { startListener, type Listener } from './listener.js';
import { createSearchPool } from './search/search-pool.js';
import { createRateLimiter } from './rate-limit.js';
import { withBody } from './responses.js';
import { checkSeed, createState } from './state.js';
import type { MockD3, MockD3Options } from './types.js';

/** Defaults of {@link createMockD3}. */
export const mockDefaults = {
  apiKey: 'mock-api-key',
  jwtSecret: 'mock-jwt-secret',
  requestsPerSecond: 50,
  random: 1,
  host: '127.0.0.1',
  namespace: 'MainApp/VSOC',
  /** How long a TriggerIncidentExternalAction search with a `$regex` may take, in ms. */
  searchDeadlineMs: 1000,
} as const;

/** The network error in-process `fetch` rejects with for a dropped connection, as undici does. */
function connectionDropped(): TypeError {
  const cause = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
  return new TypeError('fetch failed', { cause });
}

function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  // The reason is the caller's: an AbortError, or whatever it passed to abort(), as fetch rejects.
  // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- fetch's contract
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- as above
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/**
 * Creates a stateful stand-in for D3 SOAR's Command API serving SetEventTechniques,
 * SaveArtifactForIncident and TriggerIncidentExternalAction, in-process (`fetch`) or over HTTP
 * (`listen`). With no options: API key `mock-api-key`, JWT secret `mock-jwt-secret`, the default
 * data set, 50 requests/s per credential, no faults.
 */
export function createMockD3(options: MockD3Options = {}): MockD3 {
  const seed = checkSeed(options.seed ?? defaultSeed);
  const artifactStore = createArtifactStore(seed);
  const state = createState(seed, artifactStore.artifacts);
  const faults = createFaultBook(options.random ?? mockDefaults.random, options.faults ?? []);
  const limits = options.rateLimit ?? { requestsPerSecond: mockDefaults.requestsPerSecond };
  const limiter = limits === false ? null : createRateLimiter(limits);
  // D3 counts per installation: every credential draws on one bucket unless asked otherwise.
  const rateLimit =
    limiter === null || limits === false
      ? null
      : limits.scope === 'credential'
        ? limiter
        : () => limiter('installation');

  const searchPool = createSearchPool(positiveInteger('searchWorkers', options.searchWorkers ?? 2));
  const search = {
    pool: searchPool,
    deadlineMs: positiveInteger(
      'searchDeadlineMs',
      options.searchDeadlineMs ?? mockDefaults.searchDeadlineMs,
    ),
  };

  const app = createApp({
    state,
    authenticator: createAuthenticator(
      options.apiKeys ?? [mockDefaults.apiKey],
      options.jwtSecrets ?? [mockDefaults.jwtSecret],
    ),
    rateLimit,
    faults,
    checkRequest: checkRequestAgainstContract,
    handlers: {
      SetEventTechniques: createSetEventTechniques(state),
      SaveArtifactForIncident: createSaveArtifactForIncident(state, artifactStore),
      TriggerIncidentExternalAction: createTriggerIncidentExternalAction(state, search),
    },
  });

  let listener: Listener | undefined;
  let starting = false;

  return {
    state,
    async fetch(input, init) {
      const request = new Request(input, init);
      const response = await abortable(Promise.resolve(app.fetch(request, {})), request.signal);
      if (isDropped(response)) throw connectionDropped();
      return withBody(response);
    },
    async listen({ port = 0, host = mockDefaults.host, namespace = mockDefaults.namespace } = {}) {
      if (listener !== undefined || starting) {
        throw new Error('This mock is already listening; close() it first.');
      }
      const path = namespace.replace(/^\/+|\/+$/g, '');
      if (path === '') {
        throw new TypeError(
          `listen({ namespace }): D3 serves commands under a namespace such as "MainApp/VSOC"; got ${JSON.stringify(namespace)}`,
        );
      }
      starting = true;
      try {
        listener = await startListener((request, env) => app.fetch(request, env), host, port);
      } finally {
        starting = false;
      }
      return `http://${formatHost(host)}:${listener.port}/${path}`;
    },
    inject(command, fault, schedule = {}) {
      faults.add({ command, fault: checkFault(fault, 'inject(fault)'), ...schedule });
    },
    clearFaults() {
      faults.clear();
    },
    async close() {
      const running = listener;
      listener = undefined;
      await Promise.all([running?.close(), searchPool.close()]);
    },
    async [Symbol.asyncDispose]() {
      await this.close();
    },
  };
}

function positiveInteger(option: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new TypeError(
      `createMockD3({ ${option} }) takes a whole number of at least 1; got ${String(value)}`,
    );
  }
  return value;
}
