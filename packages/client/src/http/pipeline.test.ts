import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAuthProvider } from '../auth.js';
import {
  D3AbortError,
  D3AuthError,
  D3Error,
  D3NetworkError,
  D3ResponseError,
  D3TimeoutError,
} from '../errors.js';
import { createRedactor } from '../redact.js';
import { DEFAULT_RETRY } from '../retry.js';
import { createFakeClock } from '../test-support/fake-clock.js';
import { createApi } from './api.js';
import type { Call } from './call.js';
import { createPipeline, type FetchLike, type PipelineOptions } from './pipeline.js';

// The layers composed as `createD3Client` composes them, driven the way openapi-fetch drives
// them: one built Request and one call per logical request. Longer than most test files because
// it holds the behaviours that need several layers at once (retries with timeouts, auth with
// logging, redirects with retries); each layer's own rules are tested beside it.

/** For a call expected to fail: its success fails the test. */
const neverSucceeds = (): never => {
  throw new Error('expected the call to fail');
};
/** For a call expected to fail: its error, which must be a `D3Error`. */
const asD3Error = (error: unknown): D3Error => {
  expect(error).toBeInstanceOf(D3Error);
  return error as D3Error;
};

/** One logical request, as a typed method hands it over. */
interface OutgoingRequest {
  command: string;
  url: string;
  method: string;
  body?: string | undefined;
  username?: string | undefined;
  signal?: AbortSignal | undefined;
}

type TransportOptions = Omit<PipelineOptions, 'redactor' | 'retry'> & {
  retry?: PipelineOptions['retry'];
};

/** The pipeline with a redactor that knows the auth's secrets, as `createD3Client` builds it. */
function transportOf(options: TransportOptions) {
  const { send, clock } = createPipeline({
    redactor: createRedactor({ secrets: options.auth?.secrets ?? [] }),
    retry: DEFAULT_RETRY,
    ...options,
  });
  return {
    /** Sends `outgoing`; the final answer (body read) and what the call recorded. */
    async send(outgoing: OutgoingRequest) {
      const call: Call = {
        command: outgoing.command,
        username: outgoing.username,
        body: outgoing.body,
        signal: outgoing.signal,
        startedAt: clock.now(),
        attempts: 0,
        mayHaveRun: false,
        retryAfterMs: undefined,
        attempt: undefined,
        bodyFailed: undefined,
      };
      const request = new Request(outgoing.url, {
        method: outgoing.method,
        body: outgoing.body ?? null,
        redirect: 'manual',
        headers: { 'content-type': 'application/json' },
      });
      const response = await send(request, call);
      const text = await response.text();
      const { attempts, mayHaveRun, retryAfterMs } = call;
      return { status: response.status, text, attempts, mayHaveRun, retryAfterMs };
    },
  };
}

/** No backoff wait between retries, so retry tests need no clock. */
const NO_BACKOFF = { ...DEFAULT_RETRY, baseDelayMs: 0 };

/** A pipeline with a 1 s timeout and {@link NO_BACKOFF} retries, plus any `extra` options. */
const quickTransport = (fetch: FetchLike, extra: Partial<TransportOptions> = {}) =>
  transportOf({ fetch, timeoutMs: 1000, retry: NO_BACKOFF, ...extra });

const API = 'https://d3site.net/MainApp/VSOC/api';

function request(command: string, extra: Partial<OutgoingRequest> = {}): OutgoingRequest {
  return {
    command,
    url: `${API}/Command/${command}`,
    method: 'POST',
    body: JSON.stringify({ Username: 'Admin', Site: 'S', CommandParams: { n: 1 } }),
    username: 'Admin',
    ...extra,
  };
}

/** A fetch that answers from a script, one entry per call, and records what it received. */
function scriptedFetch(script: ((req: Request) => Response | Promise<Response>)[]) {
  const bodies: string[] = [];
  const headers: Headers[] = [];
  // Each Request as given, to check how it was built.
  const requests: Request[] = [];
  const fetch: FetchLike = async (req) => {
    requests.push(req);
    bodies.push(await req.text());
    headers.push(req.headers);
    const next = script[Math.min(bodies.length - 1, script.length - 1)]!;
    return next(req);
  };
  return { fetch, bodies, headers, requests };
}

const ok = () => Response.json({ error: '' });
const status =
  (code: number, init: ResponseInit = {}) =>
  () =>
    Response.json({ Error: 'x' }, { ...init, status: code });

describe('pipeline retries', () => {
  it('retries 429 after the server’s Retry-After, with a fresh body each time', async () => {
    const clock = createFakeClock(Date.UTC(2024, 0, 1));
    const { fetch, bodies } = scriptedFetch([
      status(429, { headers: { 'retry-after': '2' } }),
      // An HTTP date, read against the injected clock's wall time: 10 s from "now".
      status(429, { headers: { 'retry-after': 'Mon, 01 Jan 2024 00:00:12 GMT' } }),
      ok,
    ]);
    const transport = transportOf({
      fetch,
      timeoutMs: 1000,
      clock,
      retry: { ...DEFAULT_RETRY, maxAttempts: 3, maxRetryAfterMs: 10_000 },
    });
    const pending = transport.send(request('TriggerIncidentExternalAction'));
    await clock.untilTimer(2000);
    await clock.advance(2000);
    await clock.untilTimer(10_000);
    await clock.advance(10_000);
    const exchange = await pending;
    expect(exchange.status).toBe(200);
    expect(exchange.attempts).toBe(3);
    // Each attempt's 1 000 ms timeout, and the two waits the server asked for.
    expect(clock.timers).toEqual([1000, 2000, 1000, 10_000, 1000]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[2]!)).toEqual({
      Username: 'Admin',
      Site: 'S',
      CommandParams: { n: 1 },
    });
  });

  it('returns the last 429 once the attempt budget is spent', async () => {
    const { fetch, bodies } = scriptedFetch([status(429)]);
    const transport = quickTransport(fetch, { retry: { ...NO_BACKOFF, maxAttempts: 4 } });
    const exchange = await transport.send(request('SetEventTechniques'));
    expect(exchange.status).toBe(429);
    expect(exchange.attempts).toBe(4);
    expect(bodies).toHaveLength(4);
  });

  it('retries 5xx for SaveArtifactForIncident but sends TriggerIncidentExternalAction once', async () => {
    const save = scriptedFetch([status(500), status(503), ok]);
    const saveTransport = quickTransport(save.fetch);
    const saved = await saveTransport.send(request('SaveArtifactForIncident'));
    expect(saved.status).toBe(200);
    expect(saved.mayHaveRun).toBe(true);
    expect(save.bodies).toHaveLength(3);

    const trigger = scriptedFetch([status(500), ok]);
    const triggerTransport = quickTransport(trigger.fetch);
    const triggered = await triggerTransport.send(request('TriggerIncidentExternalAction'));
    expect(triggered.status).toBe(500);
    expect(triggered.attempts).toBe(1);
    expect(trigger.bodies).toHaveLength(1);
  });

  it('does not re-send TriggerIncidentExternalAction after a dropped connection; outcome unknown', async () => {
    const dropped = () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
      });
    };
    const { fetch, bodies } = scriptedFetch([dropped, ok]);
    const transport = quickTransport(fetch);
    const error = await transport
      .send(request('TriggerIncidentExternalAction'))
      .then(neverSucceeds, asD3Error);
    expect(error).toBeInstanceOf(D3NetworkError);
    expect(error.outcome).toBe('unknown');
    expect(error.attempts).toBe(1);
    expect(error.message).toMatch(/outcome is unknown.*not re-sent/);
    expect(bodies).toHaveLength(1);
  });

  it('re-sends TriggerIncidentExternalAction when the connection was refused (never sent)', async () => {
    const refused = () => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    };
    const { fetch, bodies } = scriptedFetch([refused, refused, refused]);
    const transport = quickTransport(fetch);
    const error = await transport
      .send(request('TriggerIncidentExternalAction'))
      .then(neverSucceeds, asD3Error);
    expect(error).toBeInstanceOf(D3NetworkError);
    expect(error.outcome).toBe('not_sent');
    expect(error.attempts).toBe(3);
    expect(bodies).toHaveLength(3);
  });

  it('gives up at once with the 429 when Retry-After asks for more than maxRetryAfterMs', async () => {
    const { fetch, bodies } = scriptedFetch([status(429, { headers: { 'retry-after': '600' } })]);
    const transport = transportOf({
      fetch,
      timeoutMs: 1000,
      clock: createFakeClock(),
      retry: { ...DEFAULT_RETRY, maxAttempts: 5, maxRetryAfterMs: 10_000 },
    });
    const exchange = await transport.send(request('SetEventTechniques'));
    expect(exchange).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 600_000 });
    expect(bodies).toHaveLength(1);
  });

  it('times out a silent attempt and retries it only for idempotent commands', async () => {
    const never = () => new Promise<Response>(() => {});
    const clock = createFakeClock();
    const set = scriptedFetch([never, never, ok]);
    const setTransport = quickTransport(set.fetch, { timeoutMs: 10, clock });
    const pending = setTransport.send(request('SetEventTechniques'));
    // Time moves only here: the third attempt answers at once, so it cannot time out.
    for (let i = 0; i < 2; i++) {
      await clock.untilTimer(10);
      await clock.advance(10);
    }
    expect((await pending).attempts).toBe(3);

    const trigger = scriptedFetch([never, ok]);
    const triggerClock = createFakeClock();
    const triggerTransport = transportOf({
      fetch: trigger.fetch,
      timeoutMs: 10,
      clock: triggerClock,
    });
    const failed = triggerTransport
      .send(request('TriggerIncidentExternalAction'))
      .then(neverSucceeds, asD3Error);
    await triggerClock.untilTimer(10);
    await triggerClock.advance(10);
    const error = await failed;
    expect(error).toBeInstanceOf(D3TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 10, attempts: 1, outcome: 'unknown' });
    expect(trigger.bodies).toHaveLength(1);
  });

  it('stops waiting for a backoff as soon as the caller aborts', async () => {
    const clock = createFakeClock();
    const { fetch } = scriptedFetch([status(429, { headers: { 'retry-after': '30' } })]);
    const transport = transportOf({ fetch, timeoutMs: 1000, clock });
    const controller = new AbortController();
    const pending = transport.send(request('SetEventTechniques', { signal: controller.signal }));
    await clock.untilTimer(30_000);
    controller.abort();
    const error = await pending.then(neverSucceeds, asD3Error);
    expect(error).toBeInstanceOf(D3AbortError);
    expect(error).toMatchObject({ attempts: 1, outcome: 'rejected' });
  });

  it('aborts an attempt in flight, even when the fetch ignores the signal', async () => {
    const controller = new AbortController();
    // The caller aborts while the fetch is running, and the fetch never settles by itself.
    const { fetch } = scriptedFetch([
      () => {
        controller.abort();
        return new Promise<Response>(() => {});
      },
    ]);
    const transport = transportOf({ fetch, timeoutMs: 60_000, clock: createFakeClock() });
    const pending = transport.send(
      request('TriggerIncidentExternalAction', { signal: controller.signal }),
    );
    const error = await pending.then(neverSucceeds, asD3Error);
    expect(error).toBeInstanceOf(D3AbortError);
    expect(error.outcome).toBe('unknown');
  });
});

describe('pipeline auth and logging', () => {
  it('mints a fresh JWT for each attempt and logs headers with the token redacted', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      info: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      warn: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      error: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
    };
    const { fetch, headers } = scriptedFetch([status(503), ok]);
    const transport = quickTransport(fetch, {
      auth: createAuthProvider({ jwtSecret: 'the-jwt-secret' }),
      logger,
    });
    await transport.send(request('SetEventTechniques'));
    const tokens = headers.map((h) => h.get('d3jwt'));
    expect(tokens).toHaveLength(2);
    for (const token of tokens) expect(token).toMatch(/^eyJ/);
    expect(lines.some((line) => line.includes('D3 retrying'))).toBe(true);
    for (const line of lines) {
      for (const token of tokens) expect(line).not.toContain(token);
      expect(line).not.toContain('the-jwt-secret');
    }
  });

  it('turns a failing token provider into a D3AuthError that shows nothing of the provider’s error', async () => {
    const { fetch, bodies } = scriptedFetch([ok]);
    const failures: unknown[] = [
      new Error('vault sealed; last token was opaque-SECRET-123'),
      Object.assign(new Error('rejected token opaque-SECRET-123'), { code: 'EVAULT' }),
      new Error('wrapped', { cause: new Error('token opaque-SECRET-123 expired') }),
      'opaque-SECRET-123',
    ];
    for (const failure of failures) {
      const transport = transportOf({
        fetch,
        timeoutMs: 1000,
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a provider may reject with anything, a bare string included, and that is the case under test
        auth: createAuthProvider({ token: () => Promise.reject(failure) }),
      });
      const error = await transport
        .send(request('SetEventTechniques'))
        .then(neverSucceeds, asD3Error);
      expect(error).toBeInstanceOf(D3AuthError);
      expect(error).toMatchObject({ outcome: 'not_sent', attempts: 0 });
      const shown = [error.message, error.stack, JSON.stringify(error), inspect(error)].join('\n');
      expect(shown).not.toContain('opaque-SECRET-123');
      expect(shown).not.toContain('vault sealed');
    }
    const coded = await transportOf({
      fetch,
      timeoutMs: 1000,
      auth: createAuthProvider({
        token: () => {
          throw Object.assign(new TypeError('no token opaque-SECRET-123'), {
            code: 'TOKEN-VALUE-0987654321',
          });
        },
      }),
    })
      .send(request('SetEventTechniques'))
      .then(neverSucceeds, asD3Error);
    // A provider may put the token in any property, its code included: none of it is shown.
    expect(coded.message).toContain(
      'auth.token() threw an error; it is not shown, as it may quote the token',
    );
    expect(JSON.stringify(coded.toJSON())).not.toMatch(/TOKEN-VALUE|SECRET|TypeError/);
    // Its cause is the client's own sentence, not the provider's error.
    expect(String(coded.cause)).not.toMatch(/TOKEN-VALUE|SECRET|TypeError/);
    expect(bodies).toHaveLength(0);
  });

  it('refuses a token that cannot be an HTTP header value without sending or retrying', async () => {
    for (const token of ['line\nbreak-SECRET', 'carriage\rreturn-SECRET', 'euro-€-SECRET', '  ']) {
      const { fetch, bodies } = scriptedFetch([ok]);
      let calls = 0;
      const transport = quickTransport(fetch, {
        auth: createAuthProvider({
          token: () => {
            calls++;
            return token;
          },
        }),
      });
      const error = await transport
        .send(request('SetEventTechniques'))
        .then(neverSucceeds, asD3Error);
      expect(error).toBeInstanceOf(D3AuthError);
      expect(error).toMatchObject({ outcome: 'not_sent', attempts: 0 });
      expect(error.message).toMatch(/auth\.token\(\)'s value must be .*without line breaks/);
      expect(error.message).not.toContain('SECRET');
      expect(calls).toBe(1);
      expect(bodies).toHaveLength(0);
    }
  });

  it('counts a port undici refuses as never sent (even a trigger: not_sent), and does not retry it', async () => {
    // Port 6000 is on the fetch standard's bad-port list: undici refuses it without connecting.
    const transport = quickTransport((req, init) => globalThis.fetch(req, init), {
      timeoutMs: 10_000,
      retry: { ...NO_BACKOFF, maxAttempts: 2 },
    });
    const error = await transport
      .send({ ...request('TriggerIncidentExternalAction'), url: 'http://127.0.0.1:6000/api' })
      .then(neverSucceeds, asD3Error);
    expect(error).toBeInstanceOf(D3NetworkError);
    // Refused the same way every time: retrying cannot help.
    expect(error).toMatchObject({ outcome: 'not_sent', attempts: 1 });
    expect(error.message).toContain('bad port');
  });

  it('ends a network failure message with one full stop', async () => {
    const dropped = () => {
      throw new TypeError('fetch failed', { cause: new Error('socket hang up.') });
    };
    const { fetch } = scriptedFetch([dropped]);
    const transport = transportOf({
      fetch,
      timeoutMs: 1000,
      retry: { ...DEFAULT_RETRY, maxAttempts: 1 },
    });
    const error = await transport
      .send(request('SetEventTechniques'))
      .then(neverSucceeds, asD3Error);
    expect(error).toBeInstanceOf(D3NetworkError);
    expect(error.message).toContain('socket hang up');
    expect(error.message).not.toMatch(/\.\./);
  });

  it('serves openapi-fetch: a retry re-sends the body openapi-fetch built, headers and all', async () => {
    const { fetch, bodies, headers } = scriptedFetch([status(500), ok]);
    const pipeline = createPipeline({
      fetch,
      timeoutMs: 1000,
      retry: NO_BACKOFF,
      auth: createAuthProvider({ apiKey: 'k' }),
      redactor: createRedactor(),
    });
    const { client } = createApi({ apiRoot: API, headers: { 'x-trace': '1' }, pipeline });
    const { response } = await client.POST('/Command/SaveArtifactForIncident', {
      body: {
        Username: 'Admin',
        Site: 'S',
        CommandParams: { 'Artifact Type': null, 'Artifact Fields': [], 'Incident Number': '1' },
      },
    });
    expect(response.status).toBe(200);
    expect(bodies).toHaveLength(2);
    expect(bodies[1]).toBe(bodies[0]);
    expect(JSON.parse(bodies[0]!)).toMatchObject({ Username: 'Admin' });
    expect(headers[1]?.get('d3key')).toBe('k');
    expect(headers[1]?.get('x-trace')).toBe('1');
  });
});

describe('pipeline redirects', () => {
  it('never follows a redirect: a D3ResponseError names the target without its credentials', async () => {
    const { fetch, bodies, requests } = scriptedFetch([
      () =>
        new Response('moved', {
          status: 307,
          headers: { location: 'http://admin:pw-SECRET@evil.example:8080/steal/it?key=k-SECRET#x' },
        }),
    ]);
    const transport = quickTransport(fetch, {
      auth: createAuthProvider({ apiKey: 'k-SECRET' }),
    });
    for (const command of ['SetEventTechniques', 'TriggerIncidentExternalAction']) {
      const error = await transport.send(request(command)).then(neverSucceeds, asD3Error);
      expect(error).toBeInstanceOf(D3ResponseError);
      expect(error).toMatchObject({ status: 307, attempts: 1, outcome: 'unknown' });
      expect(error.message).toContain('redirect (307) to http://evil.example:8080/steal/it,');
      expect(error.message).toContain('check baseUrl');
      expect(error.message).not.toMatch(/SECRET|admin|key=/);
    }
    // One request per call, each asking fetch not to follow redirects.
    expect(bodies).toHaveLength(2);
    expect(requests.map((r) => r.redirect)).toEqual(['manual', 'manual']);
  });

  it('treats an opaque redirect (a browser-style manual redirect) the same way', async () => {
    const opaque = () => {
      const response = new Response(null);
      Object.defineProperties(response, {
        type: { value: 'opaqueredirect' },
        status: { value: 0 },
      });
      return response;
    };
    const { fetch } = scriptedFetch([opaque]);
    const transport = transportOf({ fetch, timeoutMs: 1000 });
    const error = await transport
      .send(request('SaveArtifactForIncident'))
      .then(neverSucceeds, asD3Error);
    expect(error).toBeInstanceOf(D3ResponseError);
    expect(error.message).toContain('redirect (opaque)');
    expect(error).toMatchObject({ attempts: 1, outcome: 'unknown' });
  });
});
