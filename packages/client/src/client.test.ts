import { searchConditions } from '@d3soar/domain/query';
import { createMockD3, mockDefaults } from '@d3soar/mock-server';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createD3Client } from './client.js';
import { D3AuthError, D3ValidationError } from './errors.js';
import { captureLogger } from './test-support/capture-logger.js';
import {
  clientFor,
  mockWithClient,
  seedEventIds,
  seedIncident,
  SITE,
} from './test-support/mock-client.js';

const VENDOR_SAMPLE = {
  tactics: ['Initial Access', 'TA0002', 'TA0003'],
  techniques: ['Valid Accounts: Cloud Accounts', 'T1569', 'Traffic Signaling: Port Knocking'],
};
const SHA256 = '2afa7715181f03b6fe5acd7c82b8e818303a5de567af1a83d8c283010af2db44';

const pairsOf = (techniques: { TacticName: string; TechniqueName: string }[]) =>
  techniques.map((t) => `${t.TacticName} / ${t.TechniqueName}`).sort();

describe('createD3Client against the in-process mock', () => {
  it('sets the vendor sample’s techniques and gets back exactly the vendor’s pairs', async () => {
    const { mock, client } = mockWithClient();
    const eventIds = seedEventIds(2);
    const result = await client.setEventTechniques({ eventIds, ...VENDOR_SAMPLE });
    expect(result).toMatchObject({ ok: true, batchCount: 1, failedBatches: [], unpaired: [] });
    expect(result.contextData.map((entry) => entry.EventId)).toEqual(eventIds);
    const expected = [
      'Execution / System Services',
      'Initial Access / Valid Accounts: Cloud Accounts',
      'Persistence / Traffic Signaling: Port Knocking',
      'Persistence / Valid Accounts: Cloud Accounts',
    ];
    for (const entry of result.contextData) expect(pairsOf(entry.techniques)).toEqual(expected);
    const stored = mock.state.events.find((event) => event.EventId === eventIds[0]);
    expect(pairsOf(stored!.Techniques)).toEqual(expected);
  });

  it('warns through the logger about techniques none of the requested tactics contain', async () => {
    const logger = captureLogger();
    const { client } = mockWithClient({}, { logger });
    const result = await client.setEventTechniques({
      eventIds: seedEventIds(1),
      tactics: ['Initial Access'],
      techniques: ['T1078', 'T1569'],
    });
    expect(result.unpaired.map((t) => t.id)).toEqual(['T1569']);
    expect(logger.at('warn').join('\n')).toMatch(/unpaired.*T1569 System Services/);
  });

  it('saves artifacts given as fields or bare values and links them to the incident', async () => {
    const { mock, client } = mockWithClient();
    const incident = seedIncident(3);
    const saved = await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: [{ URL: 'http://example.com', Reputation: 'Low' }, '66.249.64.167', SHA256],
    });
    expect(saved.contextData.map((a) => [a.ArtifactType, a.UpdateOrAdd])).toEqual([
      ['URL', 'Add'],
      ['External_Endpoint', 'Add'],
      ['File', 'Add'],
    ]);
    const linked = mock.state.artifacts.filter((a) => a.IncidentNumber === incident.Number);
    expect(linked.map((a) => a.ArtifactType).sort()).toEqual(['ExternalEndpoint', 'File', 'URL']);
  });

  it('triggers the external action on the incident a builder selects, passing the trigger data', async () => {
    const { mock, client } = mockWithClient();
    const incident = seedIncident(1);
    const result = await client.triggerIncidentExternalAction({
      where: searchConditions().where('Number').equals(incident.Number),
      triggerData: { CustomKey1: 'Custom value1' },
    });
    expect(result.returnData.Data.IncidentNo).toBe(incident.Number);
    expect(result.returnData.Data.TriggeredPlaybooks.length).toBeGreaterThan(0);
    expect(mock.state.playbookRuns.map((run) => run.Incident.Number)).toEqual(
      result.returnData.Data.TriggeredPlaybooks.map(() => incident.Number),
    );
    expect(mock.state.playbookRuns[0]?.TriggerData).toEqual({ CustomKey1: 'Custom value1' });
  });

  it('sends nothing and lists every problem when the input is invalid', async () => {
    const { mock, client } = mockWithClient();
    const error = await client
      .setEventTechniques({ eventIds: [1.5, 60250], techniques: ['powershel'], site: '' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(D3ValidationError);
    const issues = (error as D3ValidationError).issues;
    expect(issues.map((issue) => issue.path)).toEqual(['site', 'eventIds.0', 'techniques.0']);
    expect(issues[2]?.suggestions?.length).toBeGreaterThan(0);

    await expect(
      client.saveArtifacts({ incidentNumber: '', artifacts: [{ SHA256: 'nope' }] }),
    ).rejects.toThrow(D3ValidationError);
    await expect(
      client.triggerIncidentExternalAction({
        where: { Severity: { $nin: ['Low'] } } as never,
        triggerData: {},
      }),
    ).rejects.toThrow(/\$nin/);
    expect(Object.values(mock.state.requests).every((count) => count === 0)).toBe(true);
  });

  it('exposes raw, the typed openapi-fetch client over the same auth and retries', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SetEventTechniques', { type: 'status', status: 503 }, { times: 1 });
    const { data, response } = await client.raw.POST('/Command/SetEventTechniques', {
      body: {
        Username: 'Admin',
        Site: SITE,
        CommandParams: { 'Event IDs': seedEventIds(1), Techniques: ['T1569'] },
      },
    });
    expect(response.status).toBe(200);
    expect(data?.error).toBe('');
    expect(mock.state.requests.SetEventTechniques).toBe(2);
  });
});

describe('authentication against the mock', () => {
  it('authenticates with a JWT minted per request from the secret', async () => {
    const { mock, client } = mockWithClient({}, { auth: { jwtSecret: mockDefaults.jwtSecret } });
    const incident = seedIncident(0);
    await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: ['evil[.]example.com'],
    });
    // The token's Username claim follows a per-call username override.
    await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: ['198.51.100.7'],
      username: 'analyst.kim',
    });
    expect(mock.state.requests.SaveArtifactForIncident).toBe(2);
  });

  it('authenticates with tokens from a provider', async () => {
    const secret = new TextEncoder().encode(mockDefaults.jwtSecret);
    let minted = 0;
    const { client } = mockWithClient(
      {},
      {
        auth: {
          token: () => {
            minted++;
            return new SignJWT({ Username: 'Admin' })
              .setProtectedHeader({ alg: 'HS256' })
              .setIssuedAt()
              .setExpirationTime('1m')
              .sign(secret);
          },
        },
      },
    );
    await client.setEventTechniques({ eventIds: seedEventIds(1), techniques: ['T1569'] });
    expect(minted).toBe(1);
  });

  it('throws D3AuthError for a wrong API key or a token signed with another secret', async () => {
    const mock = createMockD3({ rateLimit: false });
    const wrongKey = clientFor(mock, { auth: { apiKey: 'not-the-key' } });
    const wrongSecret = clientFor(mock, { auth: { jwtSecret: 'not-the-secret' } });
    for (const client of [wrongKey, wrongSecret]) {
      const error = await client
        .setEventTechniques({ eventIds: seedEventIds(1), techniques: ['T1569'] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(D3AuthError);
      expect(error).toMatchObject({ status: 401, attempts: 1, outcome: 'rejected' });
    }
  });
});

describe('createD3Client over a loopback listener', () => {
  const mock = createMockD3({ rateLimit: false });
  let baseUrl = '';
  beforeAll(async () => {
    baseUrl = await mock.listen();
  });
  afterAll(() => mock.close());

  it('runs all three commands over real HTTP with JWT auth', async () => {
    const client = createD3Client({
      baseUrl,
      username: 'Admin',
      site: SITE,
      auth: { jwtSecret: mockDefaults.jwtSecret },
    });
    const incident = seedIncident(2);
    const set = await client.setEventTechniques({
      eventIds: seedEventIds(3),
      techniques: ['T1569'],
    });
    expect(set.contextData).toHaveLength(3);
    const saved = await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: ['http://phish.example.net/login'],
    });
    expect(saved.contextData[0]?.ArtifactType).toBe('URL');
    const triggered = await client.triggerIncidentExternalAction({
      where: { Number: incident.Number },
      triggerData: { via: 'loopback' },
    });
    expect(triggered.returnData.Data.IncidentNo).toBe(incident.Number);
  });

  it('accepts the base URL with a trailing slash or /api', async () => {
    for (const base of [`${baseUrl}/`, `${baseUrl}/api`]) {
      const client = createD3Client({
        baseUrl: base,
        username: 'Admin',
        site: SITE,
        auth: { apiKey: mockDefaults.apiKey },
      });
      const set = await client.setEventTechniques({
        eventIds: seedEventIds(1),
        techniques: ['T1569'],
      });
      expect(set.ok).toBe(true);
    }
  });
});

describe('header options', () => {
  const base = {
    baseUrl: 'https://d3.example/MainApp/VSOC',
    username: 'Admin',
    site: SITE,
  };

  it('refuses, at creation, an API key or header value that cannot be sent, without echoing it', () => {
    const attempts: [() => unknown, RegExp][] = [
      [() => createD3Client({ ...base, auth: { apiKey: 'key-€-SECRET' } }), /auth\.apiKey/],
      [() => createD3Client({ ...base, auth: { apiKey: 'key\nSECRET' } }), /auth\.apiKey/],
      [
        () =>
          createD3Client({
            ...base,
            auth: { apiKey: 'k' },
            headers: { 'X-Tenant': 'a\r\nSECRET' },
          }),
        /headers\.X-Tenant/,
      ],
      [
        () => createD3Client({ ...base, auth: { apiKey: 'k' }, headers: { 'a b': 'x' } }),
        /headers/,
      ],
    ];
    for (const [attempt, names] of attempts) {
      expect(attempt).toThrow(TypeError);
      expect(attempt).toThrow(names);
      expect(attempt).not.toThrow(/SECRET/);
    }
    // Surrounding whitespace is fine: fetch trims it, as from a key read out of a file.
    expect(() => createD3Client({ ...base, auth: { apiKey: 'key-from-file\n' } })).not.toThrow();
  });

  it('treats values of credential-like headers as secrets in errors and logs', async () => {
    const logger = captureLogger();
    const client = createD3Client({
      ...base,
      auth: { apiKey: 'the-api-key-123' },
      headers: {
        'X-Api-Key': 'gateway-key-4f2a91',
        Authorization: 'Bearer proxy-token-77e0c3',
        'X-Trace': 'trace-visible-1',
      },
      logger,
      retry: false,
      rateLimit: false,
      // A proxy that quotes the headers it got in its error.
      fetch: (request) =>
        Promise.reject(
          new TypeError(`proxy refused ${JSON.stringify(Object.fromEntries(request.headers))}`),
        ),
    });
    const error = await client
      .setEventTechniques({ eventIds: [1], techniques: ['T1569'] })
      .catch((e: unknown) => e as Error);
    const shown = [(error as Error).message, JSON.stringify(error), ...logger.lines].join('\n');
    expect(shown).toContain('trace-visible-1');
    for (const secret of ['gateway-key-4f2a91', 'proxy-token-77e0c3', 'the-api-key-123']) {
      expect(shown).not.toContain(secret);
    }
    expect(logger.lines.join('\n')).toMatch(/"x-api-key":"\[REDACTED\]"/);
  });
});
