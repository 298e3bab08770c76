import { describe, expect, it } from 'vitest';
import { createRawClient } from './raw-client.js';
import type {
  SaveArtifactForIncidentRequest,
  SetEventTechniquesRequest,
  TriggerIncidentExternalActionRequest,
} from './types.js';

interface Captured {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
}

/** A fetch that records every request and answers `reply` as JSON (with `init`'s status). */
function recordingFetch(reply: unknown, init?: ResponseInit) {
  const sent: Captured[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    sent.push({
      url: request.url,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body: JSON.parse(await request.text()),
    });
    return Response.json(reply, init);
  };
  return { sent, fetch };
}

const envelope = { Username: 'Admin', Site: 'Security Operations' };

describe('createRawClient', () => {
  it('posts SetEventTechniques to <base>/api/Command/SetEventTechniques with the given body', async () => {
    const reply = { error: '', returnData: 'Successful', contextData: [] };
    const { sent, fetch } = recordingFetch(reply);
    const raw = createRawClient({
      baseUrl: 'https://d3site.net/MainApp/VSOC/',
      fetch,
      headers: { d3key: 'test-key' },
    });
    const body: SetEventTechniquesRequest = {
      ...envelope,
      CommandParams: { 'Event IDs': [60250, 60251], Tactics: ['TA0002'], Techniques: ['T1569'] },
    };
    const { data, response } = await raw.POST('/Command/SetEventTechniques', { body });
    expect(response.status).toBe(200);
    expect(data).toEqual(reply);
    expect(sent).toEqual([
      {
        url: 'https://d3site.net/MainApp/VSOC/api/Command/SetEventTechniques',
        method: 'POST',
        headers: { 'content-type': 'application/json', d3key: 'test-key' },
        body,
      },
    ]);
  });

  it('posts SaveArtifactForIncident with the vendor parameter names, spaces included', async () => {
    const { sent, fetch } = recordingFetch({
      error: '',
      returnData: 'Successful',
      contextData: [],
    });
    const raw = createRawClient({ baseUrl: 'https://d3site.net/ce_site/VSOC/api', fetch });
    const body: SaveArtifactForIncidentRequest = {
      ...envelope,
      CommandParams: {
        'Artifact Type': null,
        'Artifact Fields': [{ URL: 'http://example.com', Reputation: 'Low' }],
        'Incident Number': '20220114-11',
      },
    };
    await raw.POST('/Command/SaveArtifactForIncident', { body });
    expect(sent[0]?.url).toBe(
      'https://d3site.net/ce_site/VSOC/api/Command/SaveArtifactForIncident',
    );
    expect(sent[0]?.method).toBe('POST');
    expect(sent[0]?.headers['content-type']).toBe('application/json');
    expect(sent[0]?.body).toEqual(body);
  });

  it('posts TriggerIncidentExternalAction and returns a 401 body as the typed error', async () => {
    const { sent, fetch } = recordingFetch(
      { Error: 'Invalid authentication key.' },
      { status: 401 },
    );
    const raw = createRawClient({ baseUrl: 'http://127.0.0.1:4010/MainApp/VSOC', fetch });
    const body: TriggerIncidentExternalActionRequest = {
      ...envelope,
      CommandParams: {
        'Search Conditions': { Number: '20230413-123', Severity: { $in: ['Critical', 'High'] } },
        'Trigger Data': { CustomKey1: 'Custom value1' },
      },
    };
    const { data, error } = await raw.POST('/Command/TriggerIncidentExternalAction', {
      body,
      headers: { d3jwt: 'a.b.c' },
    });
    expect(data).toBeUndefined();
    expect(error).toEqual({ Error: 'Invalid authentication key.' });
    expect(sent[0]).toEqual({
      url: 'http://127.0.0.1:4010/MainApp/VSOC/api/Command/TriggerIncidentExternalAction',
      method: 'POST',
      headers: { 'content-type': 'application/json', d3jwt: 'a.b.c' },
      body,
    });
  });

  it('refuses a plain-http base on a remote host', () => {
    expect(() => createRawClient({ baseUrl: 'http://d3site.net/MainApp/VSOC' })).toThrow(
      /allowInsecureHttp/,
    );
  });
});
