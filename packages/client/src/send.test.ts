import { getAttackCatalog } from '@d3soar/domain/attack';
import { searchConditions } from '@d3soar/domain/query';
import { createMockD3 } from '@d3soar/mock-server';
import { describe, expect, it } from 'vitest';
import type { D3Progress } from './batches.js';
import { D3CommandError, D3ValidationError } from './errors.js';
import type { FetchLike } from './http/pipeline.js';
import {
  previewSaveArtifacts,
  previewSetEventTechniques,
  previewTriggerIncidentExternalAction,
} from './index.js';
import { clientFor, seedEventIds, seedIncident } from './test-support/mock-client.js';

/** A client on the in-process mock that keeps every request body and header it sends. */
function recordingClient(options: Parameters<typeof clientFor>[1] = {}) {
  const mock = createMockD3({ rateLimit: false });
  const bodies: { Username: string; CommandParams: unknown }[] = [];
  const headers: Headers[] = [];
  const fetch: FetchLike = async (request, init) => {
    bodies.push(
      JSON.parse(await request.clone().text()) as { Username: string; CommandParams: unknown },
    );
    headers.push(request.headers);
    return mock.fetch(request, init);
  };
  return { mock, client: clientFor(mock, { fetch, ...options }), bodies, headers };
}

describe('client.send(preview)', () => {
  it('sends the preview’s batches exactly as prepared, without resolving anything again', async () => {
    const eventIds = seedEventIds(5);
    const preview = previewSetEventTechniques(
      { eventIds, tactics: ['Execution'], techniques: ['T1569'] },
      { batchSize: 2 },
    );
    expect(preview.call.requests.map((r) => r.items)).toEqual([2, 2, 1]);
    // A client resolving with another catalog and another batch size: neither is used.
    const { client, bodies } = recordingClient({
      attackCatalog: getAttackCatalog('mobile'),
      batchSize: 500,
    });
    const result = await client.send(preview);
    expect(bodies.map((body) => body.CommandParams)).toEqual(
      preview.call.requests.map((r) => r.params),
    );
    expect(result).toMatchObject({ ok: true, batchCount: 3, techniques: ['System Services'] });
    expect(result.contextData.map((entry) => entry.EventId)).toEqual(eventIds);
  });

  it('resolves as the typed method does, for each command', async () => {
    const incident = seedIncident(1);
    const { client } = recordingClient();
    const saved = await client.send(
      previewSaveArtifacts({ incidentNumber: incident.Number, artifacts: ['198.51.100.9'] }),
    );
    expect(saved.contextData[0]?.ArtifactType).toBeTypeOf('string');
    const triggered = await client.send(
      previewTriggerIncidentExternalAction({
        where: { Number: incident.Number },
        triggerData: { k: 'v' },
      }),
    );
    expect(triggered.returnData.Data.IncidentNo).toBe(incident.Number);
  });

  it('takes the conditions of a trigger preview as checked: the builder is read once', async () => {
    const builder = searchConditions().where('Number').equals(seedIncident(2).Number);
    let reads = 0;
    const where = {
      toJSON: () => {
        reads++;
        return builder.toJSON();
      },
    };
    const preview = previewTriggerIncidentExternalAction({ where, triggerData: {} });
    const { client, bodies } = recordingClient();
    await client.send(preview);
    expect(reads).toBe(1);
    expect(bodies[0]?.CommandParams).toEqual(preview.params);
  });

  it('puts the client’s or the call’s envelope around the prepared params', async () => {
    const preview = previewSaveArtifacts({
      incidentNumber: seedIncident().Number,
      artifacts: ['10.9.8.7'],
    });
    const { client, bodies } = recordingClient();
    await client.send(preview);
    await client.send(preview, { username: 'Analyst' });
    expect(bodies.map((body) => body.Username)).toEqual(['Admin', 'Analyst']);
    await expect(client.send(preview, { site: ' ' })).rejects.toThrow(D3ValidationError);
    expect(bodies).toHaveLength(2);
  });

  it('freezes the prepared call of every preview, so it cannot be edited into something unchecked', () => {
    for (const preview of [
      previewSetEventTechniques({ eventIds: [1], techniques: ['T1569'] }),
      previewSaveArtifacts({ incidentNumber: 'PR-1', artifacts: ['66.249.64.167'] }),
      previewTriggerIncidentExternalAction({ where: { Number: 'PR-1' }, triggerData: {} }),
    ]) {
      expect(Object.isFrozen(preview.call)).toBe(true);
      expect(Object.isFrozen(preview.call.requests)).toBe(true);
      expect(() => (preview.call.requests as unknown[]).push({})).toThrow(TypeError);
    }
  });
});

describe('onProgress', () => {
  it('reports each batch of a batched call, failed ones with their error', async () => {
    const { mock, client } = recordingClient({ batchSize: 2, batchConcurrency: 1 });
    mock.inject('SetEventTechniques', { type: 'command-error', message: 'Busy.' }, { times: 1 });
    const progress: D3Progress[] = [];
    const result = await client.setEventTechniques({
      eventIds: seedEventIds(5),
      techniques: ['T1569'],
      onProgress: (p) => progress.push(p),
    });
    expect(result.failedBatches).toHaveLength(1);
    expect(
      progress.map(({ batchIndex, batchCount, items, ok }) => [batchIndex, batchCount, items, ok]),
    ).toEqual([
      [0, 3, 2, false],
      [1, 3, 2, true],
      [2, 3, 1, true],
    ]);
    expect(progress[0]?.error).toBeInstanceOf(D3CommandError);
    expect(progress[1]).not.toHaveProperty('error');
  });

  it('reports the single request of the other commands', async () => {
    const { client } = recordingClient();
    const progress: D3Progress[] = [];
    await client.saveArtifacts({
      incidentNumber: seedIncident().Number,
      artifacts: ['10.1.1.1', '10.1.1.2'],
      onProgress: (p) => progress.push(p),
    });
    expect(progress).toEqual([
      { command: 'SaveArtifactForIncident', batchIndex: 0, batchCount: 1, items: 2, ok: true },
    ]);
  });
});

describe('client.use(middleware)', () => {
  it('runs middleware once per call for typed methods and raw alike; its headers go out on every attempt', async () => {
    const { mock, client, headers } = recordingClient();
    let calls = 0;
    client.use({
      onRequest({ request }) {
        calls++;
        request.headers.set(
          'traceparent',
          `00-${String(calls).padStart(32, '0')}-00f067aa0ba902b7-01`,
        );
      },
    });
    mock.inject('SetEventTechniques', { type: 'status', status: 503 }, { times: 1 });
    await client.setEventTechniques({ eventIds: seedEventIds(1), techniques: ['T1569'] });
    await client.raw.POST('/Command/SetEventTechniques', {
      body: {
        Username: 'Admin',
        Site: 'Security Operations',
        CommandParams: { 'Event IDs': seedEventIds(1), Techniques: ['T1569'] },
      },
    });
    expect(calls).toBe(2);
    // Three requests: the typed call's two attempts (the first got a 503), then the raw call.
    expect(headers.map((h) => h.get('traceparent')?.slice(3, 35))).toEqual([
      '0'.repeat(31) + '1',
      '0'.repeat(31) + '1',
      '0'.repeat(31) + '2',
    ]);
  });

  it('re-sends the request middleware replaced, body and all', async () => {
    const { mock, client, bodies } = recordingClient();
    client.use({
      async onRequest({ request }) {
        const body = (await request.json()) as object;
        return new Request(request, { body: JSON.stringify({ ...body, Username: 'Replaced' }) });
      },
    });
    mock.inject(
      'SaveArtifactForIncident',
      { type: 'status', status: 429, retryAfterSeconds: 0 },
      { times: 1 },
    );
    await client.saveArtifacts({ incidentNumber: seedIncident().Number, artifacts: ['10.2.2.2'] });
    expect(bodies.map((body) => body.Username)).toEqual(['Replaced', 'Replaced']);
  });
});
