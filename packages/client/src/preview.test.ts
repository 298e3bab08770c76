import { getAttackCatalog } from '@d3soar/domain/attack';
import { searchConditions } from '@d3soar/domain/query';
import { createMockD3 } from '@d3soar/mock-server';
import { describe, expect, it } from 'vitest';
import { D3ValidationError } from './errors.js';
import {
  previewSaveArtifacts,
  previewSetEventTechniques,
  previewTriggerIncidentExternalAction,
} from './index.js';
import { clientFor, seedEventIds, seedIncident } from './test-support/mock-client.js';
import type { FetchLike } from './http/pipeline.js';

/** A client on the in-process mock that also keeps the CommandParams of every request sent. */
function recordingClient() {
  const mock = createMockD3({ rateLimit: false });
  const sent: unknown[] = [];
  const fetch: FetchLike = async (request, init) => {
    sent.push(
      (JSON.parse(await request.clone().text()) as { CommandParams: unknown }).CommandParams,
    );
    return mock.fetch(request, init);
  };
  return { client: clientFor(mock, { fetch }), sent };
}

describe('previewSetEventTechniques', () => {
  it('gives exactly the CommandParams the client sends, without sending anything', async () => {
    const input = {
      eventIds: seedEventIds(2),
      tactics: ['Initial Access', 'TA0002', 'TA0003'],
      techniques: ['Valid Accounts: Cloud Accounts', 'T1569', 'Traffic Signaling: Port Knocking'],
    };
    for (const as of ['name', 'id'] as const) {
      const preview = previewSetEventTechniques({ ...input, as });
      const { client, sent } = recordingClient();
      const result = await client.setEventTechniques({ ...input, as });
      expect(sent).toEqual([preview.params]);
      expect(result.unpaired).toEqual(preview.unpaired);
    }
  });

  it('shows how each input resolved, the revoked IDs it followed, the pairs and the unpaired', () => {
    const preview = previewSetEventTechniques({
      eventIds: [1, 1, 2],
      tactics: ['execution'],
      techniques: ['T1086', 'T1078'],
    });
    expect(preview.params).toEqual({
      'Event IDs': [1, 2],
      Tactics: ['Execution'],
      Techniques: ['Command and Scripting Interpreter: PowerShell', 'Valid Accounts'],
    });
    expect(preview.resolved.tactics.map((r) => [r.input, r.tactic.id])).toEqual([
      ['execution', 'TA0002'],
    ]);
    const [powershell, validAccounts] = preview.resolved.techniques;
    expect(powershell).toMatchObject({ input: 'T1086', technique: { id: 'T1059.001' } });
    expect(powershell?.technique.replaces?.map((r) => r.id)).toEqual(['T1086']);
    expect(validAccounts?.technique.replaces).toBeUndefined();
    expect(preview.pairs.map((p) => `${p.tactic.id}/${p.technique.id}`)).toEqual([
      'TA0002/T1059.001',
    ]);
    expect(preview.unpaired.map((t) => t.id)).toEqual(['T1078']);
  });

  it('resolves with the catalog it is given', () => {
    const mobile = getAttackCatalog('mobile');
    const preview = previewSetEventTechniques(
      { eventIds: [1], tactics: ['Execution'] },
      { attackCatalog: mobile },
    );
    expect(preview.resolved.tactics[0]?.tactic.id).toBe('TA0041');
  });

  it('throws the D3ValidationError the call would, listing every problem', () => {
    const attempt = () =>
      previewSetEventTechniques({ eventIds: [0], tactics: ['Initial Acess'], techniques: ['T9'] });
    expect(attempt).toThrow(D3ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as D3ValidationError).issues.map((i) => i.path)).toEqual([
        'eventIds.0',
        'tactics.0',
        'techniques.0',
      ]);
    }
  });
});

describe('previewSaveArtifacts', () => {
  it('gives the CommandParams the client sends and, per artifact, the detected type', async () => {
    const input = {
      incidentNumber: seedIncident().Number,
      artifacts: ['66.249.64.167', 'evil[.]example.com', { url: 'http://example.com' }],
    };
    const preview = previewSaveArtifacts(input);
    const { client, sent } = recordingClient();
    await client.saveArtifacts(input);
    expect(sent).toEqual([preview.params]);
    expect(preview.artifacts.map((a) => [a.type, a.identity.field, a.value?.type])).toEqual([
      ['ExternalEndpoint', 'External_IPAddress', 'External IP'],
      ['ExternalEndpoint', 'External_HostFQDN', 'External Endpoint Domain Name'],
      ['URL', 'URL', undefined],
    ]);
    expect(preview.artifacts[1]?.value?.reason).toMatch(/public suffix/);
    expect(preview.artifacts[2]?.input).toBe(input.artifacts[2]);
  });

  it('throws a D3ValidationError naming each bad artifact by position', () => {
    expect(() =>
      previewSaveArtifacts({ incidentNumber: 'X-1', artifacts: ['?', { SHA256: 'abc' }] }),
    ).toThrow(/artifacts\.0[\s\S]*artifacts\.1/);
  });
});

describe('previewTriggerIncidentExternalAction', () => {
  it('gives the Search Conditions JSON exactly as the client sends it', async () => {
    const where = searchConditions()
      .where('Number')
      .equals(seedIncident(2).Number)
      .where('CreatedUtcTime')
      .after(new Date(Date.UTC(2020, 0, 1)));
    const preview = previewTriggerIncidentExternalAction({ where, triggerData: { k: 'v' } });
    expect(preview.params['Search Conditions']).toEqual(where.toJSON());
    const { client, sent } = recordingClient();
    await client.triggerIncidentExternalAction({ where, triggerData: { k: 'v' } });
    expect(sent).toEqual([preview.params]);
  });

  it('throws a D3ValidationError for conditions D3 would reject', () => {
    expect(() =>
      previewTriggerIncidentExternalAction({ where: '{"Number":', triggerData: {} }),
    ).toThrow(D3ValidationError);
  });
});
