import { checkRequestAgainstContract } from './contract.js';
import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from './app.js';
import { createAuthenticator } from './auth.js';
import { createMockD3 } from './create-mock.js';
import { createFaultBook } from './faults.js';
import { bodyTooLargeMessage, maxBodyBytes } from './read-body.js';
import { withBody } from './responses.js';
import { checkSeed, createState } from './state.js';
import { defaultSeed } from './default-seed.js';
import { createContractChecker } from './test-support/contract-checker.js';
import {
  commandUrl,
  envelope,
  inProcessBase,
  post,
  signJwt,
  vendorSetEventTechniques,
} from './test-support/requests.js';

const contract = createContractChecker();
afterEach(() => contract.expectNoViolations());

async function errorOf(response: Response): Promise<string> {
  const body = (await response.json()) as { Error?: unknown };
  return String(body.Error);
}

describe('routing', () => {
  it('serves the commands under any namespace, including multi-segment ones', async () => {
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    for (const base of [
      'http://d3.test/MainApp/VSOC',
      'http://d3.test/ce_site/VSOC',
      'http://d3.test/x',
    ]) {
      const response = await fetch(
        commandUrl('SetEventTechniques', base),
        post(vendorSetEventTechniques),
      );
      expect(response.status).toBe(200);
    }
    expect(mock.state.requests.SetEventTechniques).toBe(3);
  });

  // 404 and 405 are no operation of the contract: the checker holds them to its ErrorResponse
  // shape.
  it('answers other methods with 405 in the {"Error"} shape, naming POST', async () => {
    const mock = createMockD3();
    const fetch = contract.routeChecked(mock.fetch);
    const before = contract.count;
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await fetch(commandUrl('SetEventTechniques'), { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe('POST');
      expect(await errorOf(response)).toMatch(new RegExp(`${method}.*POST`));
    }
    expect(contract.count - before).toBe(4);
  });

  it('answers unknown commands and paths with 404 in the {"Error"} shape', async () => {
    const mock = createMockD3();
    const fetch = contract.routeChecked(mock.fetch);
    const before = contract.count;
    const unknown = await fetch(commandUrl('GetIncidents'), post(vendorSetEventTechniques));
    expect(unknown.status).toBe(404);
    expect(await errorOf(unknown)).toMatch(/GetIncidents/);
    const elsewhere = await fetch('http://d3.test/api/Command/SetEventTechniques', post({}));
    expect(elsewhere.status).toBe(404);
    expect(await errorOf(elsewhere)).toMatch(/namespace/);
    expect(contract.count - before).toBe(2);
  });
});

describe('request bodies', () => {
  it.each(['not json', '[1, 2]', 'null', '"text"', ''])(
    'answers 400 with the vendor message for the body %j',
    async (body) => {
      const mock = createMockD3();
      const response = await contract.checked(mock.fetch)(
        commandUrl('SetEventTechniques'),
        post(body),
      );
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toBe('The body of the request must be a valid JSON object');
    },
  );

  it('answers 400 for a body over 1 MiB, declared or streamed, and reads one at the limit', async () => {
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    const url = commandUrl('SetEventTechniques');
    // A valid request padded with spaces (JSON allows them) to exactly `bytes` bytes.
    const padded = (bytes: number): string => {
      const json = JSON.stringify(vendorSetEventTechniques);
      return json.slice(0, -1) + ' '.repeat(bytes - json.length) + '}';
    };
    const streamed = (text: string): RequestInit => {
      const bytes = new TextEncoder().encode(text);
      let offset = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (offset >= bytes.length) {
            controller.close();
            return;
          }
          controller.enqueue(bytes.slice(offset, offset + 65_536));
          offset += 65_536;
        },
      });
      // `duplex` is required by Node's fetch for a stream body, but not in RequestInit's type.
      const init: RequestInit & { duplex: 'half' } = { ...post(''), body, duplex: 'half' };
      return init;
    };
    const declared = (text: string, length: number): RequestInit => ({
      ...post(text),
      headers: {
        d3key: 'mock-api-key',
        'content-type': 'application/json',
        'content-length': String(length),
      },
    });
    const cases: [string, RequestInit][] = [
      ['string body', post(padded(maxBodyBytes + 1))],
      ['stream', streamed(padded(maxBodyBytes + 1))],
      ['declared length', declared(padded(maxBodyBytes + 1), maxBodyBytes + 1)],
      ['understated length', declared(padded(maxBodyBytes + 1), 100)],
      ['multi-byte text', post(padded(maxBodyBytes - 2).replace(' ', '\u00e9\u00e9'))],
    ];
    for (const [what, init] of cases) {
      const response = await fetch(url, init);
      expect(response.status, what).toBe(400);
      expect(await errorOf(response), what).toBe(bodyTooLargeMessage);
    }
    for (const init of [post(padded(maxBodyBytes)), streamed(padded(maxBodyBytes))]) {
      expect((await fetch(url, init)).status).toBe(200);
    }
    expect(bodyTooLargeMessage).toMatch(
      /^The body of the request must not be larger than 1048576 bytes/,
    );
  });

  it('answers 401 for a bad key before looking at an oversized body', async () => {
    const mock = createMockD3();
    const response = await contract.checked(mock.fetch)(
      commandUrl('SetEventTechniques'),
      post('x'.repeat(maxBodyBytes + 1), { d3key: 'wrong' }),
    );
    expect(response.status).toBe(401);
  });

  it('answers 400 naming the field that breaks the contract', async () => {
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    const cases: [string, unknown, RegExp][] = [
      [
        'SetEventTechniques',
        envelope({ 'Event IDs': [60250, 'x'] }),
        /\/CommandParams\/Event IDs\/1/,
      ],
      ['SetEventTechniques', envelope({ 'Event IDs': [] }), /\/CommandParams\/Event IDs/],
      [
        'SetEventTechniques',
        { Site: 'Security Operations', CommandParams: { 'Event IDs': [1] } },
        /Username/,
      ],
      [
        'SaveArtifactForIncident',
        envelope({
          'Artifact Fields': [{ URL: 'http://a.example' }],
          'Incident Number': '20220114-11',
        }),
        /Artifact Type/,
      ],
      [
        'TriggerIncidentExternalAction',
        envelope({
          'Search Conditions': { CreatedUtcTime: { $gt: { $date: '2023-09-01' } } },
          'Trigger Data': {},
        }),
        /\/CommandParams\/Search Conditions\/CreatedUtcTime/,
      ],
    ];
    for (const [command, body, field] of cases) {
      const response = await fetch(commandUrl(command), post(body));
      expect(response.status).toBe(400);
      expect(await errorOf(response)).toMatch(field);
    }
    // Nothing ran.
    expect(mock.state.playbookRuns).toEqual([]);
  });
});

describe('authentication', () => {
  const unauthorized = 'Invalid authentication key.';

  it('accepts the default API key and refuses a missing or wrong one with 401', async () => {
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    const url = commandUrl('SetEventTechniques');
    expect((await fetch(url, post(vendorSetEventTechniques))).status).toBe(200);
    const refused: Record<string, string>[] = [{}, { d3key: 'wrong' }, { d3key: '' }];
    for (const headers of refused) {
      const response = await fetch(url, post(vendorSetEventTechniques, headers));
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toBe(unauthorized);
    }
  });

  it('refuses a key bound to one site for another site', async () => {
    const mock = createMockD3({
      apiKeys: { 'soc-key': { sites: ['Security Operations'] }, 'any-key': {} },
    });
    const fetch = contract.checked(mock.fetch);
    const url = commandUrl('SetEventTechniques');
    const otherSite = envelope(
      { 'Event IDs': [71000], Techniques: ['T1569'] },
      { Site: 'Managed Detection' },
    );
    expect((await fetch(url, post(vendorSetEventTechniques, { d3key: 'soc-key' }))).status).toBe(
      200,
    );
    const refused = await fetch(url, post(otherSite, { d3key: 'soc-key' }));
    expect(refused.status).toBe(401);
    expect(await errorOf(refused)).toBe(unauthorized);
    expect((await fetch(url, post(otherSite, { d3key: 'any-key' }))).status).toBe(200);
    expect(mock.state.events.find((e) => e.EventId === 71000)?.Techniques).toHaveLength(1);
  });

  it('accepts a JWT signed with a configured secret whose Username matches the body', async () => {
    const mock = createMockD3({ jwtSecrets: ['old-secret', 'new-secret'] });
    const token = await signJwt('new-secret', { Username: 'Admin' });
    const response = await contract.checked(mock.fetch)(
      commandUrl('SetEventTechniques'),
      post(vendorSetEventTechniques, { d3jwt: token }),
    );
    expect(response.status).toBe(200);
  });

  it('refuses JWTs with a bad signature, an expiry in the past, another user or no Username', async () => {
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    const now = Math.floor(Date.now() / 1000);
    const tokens = [
      await signJwt('another-secret', { Username: 'Admin' }),
      await signJwt('mock-jwt-secret', { Username: 'Admin' }, now - 60),
      await signJwt('mock-jwt-secret', { Username: 'Mallory' }),
      await signJwt('mock-jwt-secret', { sub: 'Admin' }),
      'not.a.jwt',
    ];
    for (const token of tokens) {
      const response = await fetch(
        commandUrl('SetEventTechniques'),
        post(vendorSetEventTechniques, { d3jwt: token }),
      );
      expect(response.status).toBe(401);
      expect(await errorOf(response)).toBe(unauthorized);
    }
    expect(mock.state.events.find((e) => e.EventId === 60250)?.Techniques).toEqual([]);
  });
});

describe('rate limiting', () => {
  it('answers 429 with the vendor message and a Retry-After once a key exceeds its rate', async () => {
    const mock = createMockD3({ rateLimit: { requestsPerSecond: 5 } });
    const fetch = contract.checked(mock.fetch);
    const responses = await Promise.all(
      Array.from({ length: 12 }, () =>
        fetch(commandUrl('SetEventTechniques'), post(vendorSetEventTechniques)),
      ),
    );
    const limited = responses.filter((r) => r.status === 429);
    // The bucket holds 5; refilling 5/s cannot add 7 tokens during one in-process burst.
    expect(limited.length).toBeGreaterThanOrEqual(1);
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(11);
    expect(limited[0]!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(await errorOf(limited[0]!)).toBe(
      'The request exceeds rate limits or is otherwise blocked by rate limiting policies.',
    );
    expect(mock.state.requests.SetEventTechniques).toBe(12);
  });

  it('limits the whole installation by default, as D3 counts, and each key with scope credential', async () => {
    const url = commandUrl('SetEventTechniques');
    const installation = createMockD3({ apiKeys: ['a', 'b'], rateLimit: { requestsPerSecond: 1 } });
    const shared = contract.checked(installation.fetch);
    expect((await shared(url, post(vendorSetEventTechniques, { d3key: 'a' }))).status).toBe(200);
    expect((await shared(url, post(vendorSetEventTechniques, { d3key: 'b' }))).status).toBe(429);

    const perKey = createMockD3({
      apiKeys: ['a', 'b'],
      rateLimit: { requestsPerSecond: 1, scope: 'credential' },
    });
    const fetch = contract.checked(perKey.fetch);
    expect((await fetch(url, post(vendorSetEventTechniques, { d3key: 'a' }))).status).toBe(200);
    expect((await fetch(url, post(vendorSetEventTechniques, { d3key: 'a' }))).status).toBe(429);
    expect((await fetch(url, post(vendorSetEventTechniques, { d3key: 'b' }))).status).toBe(200);
  });

  it('reports what it served at GET /__mock/stats, outside the contract paths', async () => {
    const mock = createMockD3({ rateLimit: { requestsPerSecond: 2 } });
    const url = commandUrl('SetEventTechniques');
    const answers = await Promise.all(
      Array.from({ length: 3 }, () => mock.fetch(url, post(vendorSetEventTechniques))),
    );
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 200, 429]);
    await mock.fetch(commandUrl('NoSuchCommand'), post({}));
    const stats = await mock.fetch('http://mock.test/__mock/stats');
    expect(await stats.json()).toEqual({
      requests: {
        SetEventTechniques: 3,
        SaveArtifactForIncident: 0,
        TriggerIncidentExternalAction: 0,
      },
      statuses: { '200': 2, '429': 1, '404': 1 },
    });
  });

  it('can be turned off', async () => {
    const mock = createMockD3({ rateLimit: false });
    const fetch = contract.checked(mock.fetch);
    const responses = await Promise.all(
      Array.from({ length: 120 }, () =>
        fetch(commandUrl('SetEventTechniques'), post(vendorSetEventTechniques)),
      ),
    );
    expect(responses.every((r) => r.status === 200)).toBe(true);
  });
});

describe('unexpected failures', () => {
  it('answers 500 "Unexpected Error." when a handler throws, and goes on serving', async () => {
    const seed = checkSeed(defaultSeed);
    const state = createState(seed, []);
    let calls = 0;
    const app = createApp({
      state,
      authenticator: createAuthenticator(['k'], []),
      rateLimit: null,
      faults: createFaultBook(1),
      checkRequest: checkRequestAgainstContract,
      handlers: {
        SetEventTechniques: () => {
          calls += 1;
          if (calls === 1) throw new Error('boom');
          return Response.json({ error: '', returnData: 'Successful', contextData: [] });
        },
        SaveArtifactForIncident: () => new Response(null),
        TriggerIncidentExternalAction: () => new Response(null),
      },
    });
    const fetch = contract.checked(async (input, init) =>
      withBody(await app.fetch(new Request(input, init))),
    );
    const first = await fetch(
      commandUrl('SetEventTechniques'),
      post(vendorSetEventTechniques, { d3key: 'k' }),
    );
    expect(first.status).toBe(500);
    expect(await errorOf(first)).toBe('Unexpected Error.');
    const second = await fetch(
      commandUrl('SetEventTechniques'),
      post(vendorSetEventTechniques, { d3key: 'k' }),
    );
    expect(second.status).toBe(200);
  });

  it('answers 500 rather than crashing when a test corrupts the state', async () => {
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    (mock.state.events[0] as { Techniques: unknown }).Techniques = null;
    const broken = await fetch(commandUrl('SetEventTechniques'), post(vendorSetEventTechniques));
    expect(broken.status).toBe(500);
    const other = await fetch(
      commandUrl('SetEventTechniques'),
      post(envelope({ 'Event IDs': [60252], Techniques: ['T1569'] })),
    );
    expect(other.status).toBe(200);
  });
});

describe('sites', () => {
  it('fails a command for a site that does not exist at the command level', async () => {
    const mock = createMockD3();
    const response = await contract.checked(mock.fetch)(
      commandUrl('SetEventTechniques'),
      post({ ...vendorSetEventTechniques, Site: 'Nowhere' }),
    );
    expect(response.status).toBe(200);
    const body = (await response.json()) as { error: string };
    expect(body.error).toMatch(/Nowhere/);
  });
});

describe('in-process fetch', () => {
  it('rejects with the abort reason when the caller aborts', async () => {
    const mock = createMockD3();
    mock.inject('SetEventTechniques', { type: 'latency', ms: 60_000 });
    const controller = new AbortController();
    const pending = mock.fetch(commandUrl('SetEventTechniques'), {
      ...post(vendorSetEventTechniques),
      signal: controller.signal,
    });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    mock.clearFaults();
  });

  it('accepts a Request object', async () => {
    const mock = createMockD3();
    const response = await contract.checked(mock.fetch)(
      new Request(
        `${inProcessBase}/api/Command/SetEventTechniques`,
        post(vendorSetEventTechniques),
      ),
    );
    expect(response.status).toBe(200);
  });
});
