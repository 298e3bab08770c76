import { describe, expect, it } from 'vitest';
import { createAuthProvider } from './auth.js';
import { D3AbortError, D3AuthError, D3NetworkError, D3TimeoutError } from './errors.js';
import { DEFAULT_RETRY } from './retry.js';
import { createFakeClock } from './test-support/fake-clock.js';
import { createTransport, type FetchLike, type OutgoingRequest } from './transport.js';

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
  const fetch: FetchLike = async (req) => {
    bodies.push(await req.text());
    headers.push(req.headers);
    const next = script[Math.min(bodies.length - 1, script.length - 1)]!;
    return next(req);
  };
  return { fetch, bodies, headers };
}

const ok = () => Response.json({ error: '' });
const status =
  (code: number, init: ResponseInit = {}) =>
  () =>
    Response.json({ Error: 'x' }, { ...init, status: code });

describe('createTransport retries', () => {
  it('retries 429 after the server’s Retry-After (capped), with a fresh body each time', async () => {
    const clock = createFakeClock();
    const { fetch, bodies } = scriptedFetch([
      status(429, { headers: { 'retry-after': '2' } }),
      status(429, { headers: { 'retry-after': '600' } }),
      ok,
    ]);
    const transport = createTransport({
      fetch,
      timeoutMs: 1000,
      clock,
      retry: { ...DEFAULT_RETRY, maxAttempts: 3, maxRetryAfterMs: 10_000 },
    });
    const pending = transport.send(request('TriggerIncidentExternalAction'));
    await clock.untilSleeping();
    await clock.advance(2000);
    await clock.untilSleeping();
    await clock.advance(10_000);
    const exchange = await pending;
    expect(exchange.status).toBe(200);
    expect(exchange.attempts).toBe(3);
    expect(clock.sleeps).toEqual([2000, 10_000]);
    expect(new Set(bodies).size).toBe(1);
    expect(JSON.parse(bodies[2]!)).toEqual({
      Username: 'Admin',
      Site: 'S',
      CommandParams: { n: 1 },
    });
  });

  it('returns the last 429 once the attempt budget is spent', async () => {
    const { fetch, bodies } = scriptedFetch([status(429)]);
    const transport = createTransport({
      fetch,
      timeoutMs: 1000,
      retry: { ...DEFAULT_RETRY, maxAttempts: 4, baseDelayMs: 0 },
    });
    const exchange = await transport.send(request('SetEventTechniques'));
    expect(exchange.status).toBe(429);
    expect(exchange.attempts).toBe(4);
    expect(bodies).toHaveLength(4);
  });

  it('retries 5xx for SaveArtifactForIncident but sends TriggerIncidentExternalAction once', async () => {
    const save = scriptedFetch([status(500), status(503), ok]);
    const saveTransport = createTransport({
      fetch: save.fetch,
      timeoutMs: 1000,
      retry: { ...DEFAULT_RETRY, baseDelayMs: 0 },
    });
    const saved = await saveTransport.send(request('SaveArtifactForIncident'));
    expect(saved.status).toBe(200);
    expect(saved.mayHaveRun).toBe(true);
    expect(save.bodies).toHaveLength(3);

    const trigger = scriptedFetch([status(500), ok]);
    const triggerTransport = createTransport({
      fetch: trigger.fetch,
      timeoutMs: 1000,
      retry: { ...DEFAULT_RETRY, baseDelayMs: 0 },
    });
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
    const transport = createTransport({
      fetch,
      timeoutMs: 1000,
      retry: { ...DEFAULT_RETRY, baseDelayMs: 0 },
    });
    const error = await transport.send(request('TriggerIncidentExternalAction')).catch((e) => e);
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
    const transport = createTransport({
      fetch,
      timeoutMs: 1000,
      retry: { ...DEFAULT_RETRY, baseDelayMs: 0 },
    });
    const error = await transport.send(request('TriggerIncidentExternalAction')).catch((e) => e);
    expect(error).toBeInstanceOf(D3NetworkError);
    expect(error.outcome).toBe('not_sent');
    expect(error.attempts).toBe(3);
    expect(bodies).toHaveLength(3);
  });

  it('times out a silent attempt and retries it only for idempotent commands', async () => {
    const never = () => new Promise<Response>(() => {});
    const set = scriptedFetch([never, never, ok]);
    const setTransport = createTransport({
      fetch: set.fetch,
      timeoutMs: 10,
      retry: { ...DEFAULT_RETRY, baseDelayMs: 0 },
    });
    expect((await setTransport.send(request('SetEventTechniques'))).attempts).toBe(3);

    const trigger = scriptedFetch([never, ok]);
    const triggerTransport = createTransport({ fetch: trigger.fetch, timeoutMs: 10 });
    const error = await triggerTransport
      .send(request('TriggerIncidentExternalAction'))
      .catch((e) => e);
    expect(error).toBeInstanceOf(D3TimeoutError);
    expect(error).toMatchObject({ timeoutMs: 10, attempts: 1, outcome: 'unknown' });
  });

  it('stops waiting for a backoff as soon as the caller aborts', async () => {
    const clock = createFakeClock();
    const { fetch } = scriptedFetch([status(429, { headers: { 'retry-after': '30' } })]);
    const transport = createTransport({ fetch, timeoutMs: 1000, clock });
    const controller = new AbortController();
    const pending = transport.send(request('SetEventTechniques', { signal: controller.signal }));
    await clock.untilSleeping();
    controller.abort();
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(D3AbortError);
    expect(error).toMatchObject({ attempts: 1, outcome: 'rejected' });
  });

  it('aborts an attempt in flight, even when the fetch ignores the signal', async () => {
    const { fetch } = scriptedFetch([() => new Promise<Response>(() => {})]);
    const transport = createTransport({ fetch, timeoutMs: 60_000 });
    const controller = new AbortController();
    const pending = transport.send(
      request('TriggerIncidentExternalAction', { signal: controller.signal }),
    );
    setTimeout(() => controller.abort(), 5);
    const error = await pending.catch((e) => e);
    expect(error).toBeInstanceOf(D3AbortError);
    expect(error.outcome).toBe('unknown');
  });
});

describe('createTransport auth and logging', () => {
  it('mints a fresh JWT for each attempt and logs headers with the token redacted', async () => {
    const lines: string[] = [];
    const logger = {
      debug: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      info: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      warn: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
      error: (m: string, f?: object) => lines.push(`${m} ${JSON.stringify(f)}`),
    };
    const { fetch, headers } = scriptedFetch([status(503), ok]);
    const transport = createTransport({
      fetch,
      timeoutMs: 1000,
      auth: createAuthProvider({ jwtSecret: 'the-jwt-secret' }),
      logger,
      retry: { ...DEFAULT_RETRY, baseDelayMs: 0 },
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

  it('turns a failing token provider into a D3AuthError that sends nothing', async () => {
    const { fetch, bodies } = scriptedFetch([ok]);
    const transport = createTransport({
      fetch,
      timeoutMs: 1000,
      auth: createAuthProvider({
        token: () => {
          throw new Error('vault sealed; last token was eyJa.eyJb.c');
        },
      }),
    });
    const error = await transport.send(request('SetEventTechniques')).catch((e) => e);
    expect(error).toBeInstanceOf(D3AuthError);
    expect(error.outcome).toBe('not_sent');
    expect(error.message).toContain('vault sealed');
    expect(error.message).not.toContain('eyJa.eyJb.c');
    expect(bodies).toHaveLength(0);
  });

  it('serves openapi-fetch through its fetch adapter, reading the command from the path', async () => {
    const { fetch, bodies, headers } = scriptedFetch([status(500), ok]);
    const transport = createTransport({
      fetch,
      timeoutMs: 1000,
      auth: createAuthProvider({ apiKey: 'k' }),
      retry: { ...DEFAULT_RETRY, baseDelayMs: 0 },
    });
    const response = await transport.fetch(
      new Request(`${API}/Command/SaveArtifactForIncident`, {
        method: 'POST',
        body: '{"Username":"Admin"}',
        headers: { 'x-trace': '1' },
      }),
    );
    expect(response.status).toBe(200);
    expect(bodies).toEqual(['{"Username":"Admin"}', '{"Username":"Admin"}']);
    expect(headers[1]?.get('d3key')).toBe('k');
    expect(headers[1]?.get('x-trace')).toBe('1');
  });
});
