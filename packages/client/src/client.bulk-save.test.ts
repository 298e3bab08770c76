import { describe, expect, it } from 'vitest';
import type { D3Progress } from './batches.js';
import { D3BadRequestError } from './errors.js';
import { captureLogger } from './test-support/capture-logger.js';
import { clientFor, mockWithClient, seedIncident } from './test-support/mock-client.js';
import { createMockD3, type MockD3 } from '@d3soar/mock-server';

/** `count` distinct public addresses (bare indicator values). */
const addresses = (count: number): string[] =>
  Array.from(
    { length: count },
    (_, n) => `${11 + Math.floor(n / 62_500)}.${Math.floor(n / 250) % 250}.${n % 250}.7`,
  );

/** The artifacts the mock links to an incident. */
const linkedTo = (mock: MockD3, incident: string) =>
  mock.state.artifacts.filter((artifact) => artifact.IncidentNumber === incident);

/** The mock's `fetch`, recording the size of every request body it is given. */
const measuring = (fetchImpl: (request: Request) => Promise<Response>) => {
  const sizes: number[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    sizes.push((await request.clone().arrayBuffer()).byteLength);
    return fetchImpl(request);
  };
  return { sizes, fetch };
};

// 30,000 artifacts go through the whole client and the mock: seconds on a loaded machine.
describe('saveArtifacts in batches', { timeout: 60_000 }, () => {
  it('saves 30,000 indicators in batches under maxBodyBytes, each stored once', async () => {
    const mock = createMockD3({ rateLimit: false });
    const { sizes, fetch } = measuring(mock.fetch);
    const maxBodyBytes = 100_000;
    // A count limit out of the way, so the body size alone cuts the batches.
    const client = clientFor(mock, { fetch, maxBodyBytes, batchSize: 100_000 });
    const incident = seedIncident(2);
    const values = addresses(30_000);
    const progress: D3Progress[] = [];

    const result = await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: values,
      onProgress: (p) => progress.push(p),
    });

    expect(result.ok).toBe(true);
    expect(result.failedBatches).toEqual([]);
    expect(sizes).toHaveLength(result.batchCount);
    // Together more than the mock's 1 MiB takes in one body; each batch as full as allowed (1 KiB
    // is kept for the envelope, whose names here are short).
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBeGreaterThan(1_048_576);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(maxBodyBytes);
    expect(Math.min(...sizes.slice(0, -1))).toBeGreaterThan(maxBodyBytes - 1_100);
    expect(result.contextData).toHaveLength(values.length);
    expect(progress.reduce((sum, p) => sum + p.items, 0)).toBe(values.length);
    const linked = linkedTo(mock, incident.Number);
    expect(linked.map((a) => a.ArtifactName).sort()).toEqual([...values].sort());
  });

  it('with the defaults, a call over 1 MiB that one request would lose goes through', async () => {
    const { mock, client } = mockWithClient();
    const incident = seedIncident(2);
    const values = addresses(30_000);
    const result = await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: values,
    });
    expect(result.ok).toBe(true);
    expect(result.batchCount).toBe(values.length / 500);
    expect(linkedTo(mock, incident.Number)).toHaveLength(values.length);
  });

  it('reports one failing batch with its artifacts while the others land', async () => {
    const logger = captureLogger();
    const { mock, client } = mockWithClient({}, { batchSize: 2_000, logger });
    mock.inject('SaveArtifactForIncident', { type: 'status', status: 400 }, { times: 1 });
    const incident = seedIncident(2);
    const values = addresses(10_000);

    const result = await client.saveArtifacts({
      incidentNumber: incident.Number,
      artifacts: values,
    });

    expect(result.ok).toBe(false);
    expect(result.batchCount).toBe(5);
    expect(result.failedBatches).toHaveLength(1);
    const [failed] = result.failedBatches;
    expect(failed?.error).toBeInstanceOf(D3BadRequestError);
    const lost = failed?.artifacts.map((fields) => fields.External_IPAddress) ?? [];
    expect(lost).toEqual(values.slice(failed?.firstIndex, (failed?.firstIndex ?? 0) + 2_000));
    const stored = linkedTo(mock, incident.Number).map((artifact) => artifact.ArtifactName);
    expect(new Set(stored).size).toBe(stored.length);
    const lostSet = new Set(lost);
    expect(stored.sort()).toEqual(values.filter((value) => !lostSet.has(value)).sort());
    expect(result.contextData).toHaveLength(values.length - lost.length);
    expect(logger.at('warn').join('\n')).toMatch(/D3 batch failed/);
  });

  it('throws the first error when every batch fails', async () => {
    const { mock, client } = mockWithClient({}, { batchSize: 2 });
    mock.inject('SaveArtifactForIncident', { type: 'status', status: 400 });
    await expect(
      client.saveArtifacts({ incidentNumber: seedIncident(2).Number, artifacts: addresses(5) }),
    ).rejects.toBeInstanceOf(D3BadRequestError);
    expect(mock.state.requests.SaveArtifactForIncident).toBe(3);
  });
});
