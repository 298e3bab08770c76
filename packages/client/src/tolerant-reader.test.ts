import { describe, expect, it } from 'vitest';
import { createD3Client } from './client.js';

/** A client whose every request gets `body` as a 200 answer. */
const clientAnswering = (body: unknown) =>
  createD3Client({
    baseUrl: 'https://d3site.net/MainApp/VSOC',
    username: 'Admin',
    site: 'Security Operations Site',
    auth: { apiKey: 'k' },
    retry: false,
    rateLimit: false,
    fetch: () => Promise.resolve(Response.json(body)),
  });

const result = (extra: Record<string, unknown>) => ({
  ArtifactType: 'Process',
  Status: 'Successful',
  UpdateOrAdd: 'Add',
  ArtifactDetails: { ProcessGUID: '{5E0F1D6B-0000-0000-0000-000000000001}' },
  ...extra,
});

describe('reading a SaveArtifactForIncident answer', () => {
  it('reads the vendor’s `Artifactname` as `ArtifactName`, and a missing name as an empty string', async () => {
    const client = clientAnswering({
      error: '',
      returnData: 'Successful',
      contextData: [
        result({ Artifactname: '{5E0F1D6B-0000-0000-0000-000000000001}' }),
        result({}),
        result({ ArtifactName: 'evil.example' }),
      ],
    });
    const saved = await client.saveArtifacts({
      incidentNumber: '20220114-11',
      artifacts: ['evil.example'],
    });
    expect(saved.contextData.map((entry) => entry.ArtifactName)).toEqual([
      '{5E0F1D6B-0000-0000-0000-000000000001}',
      '',
      'evil.example',
    ]);
    // Only the contract's spelling is left.
    for (const entry of saved.contextData) expect(entry).not.toHaveProperty('Artifactname');
    expect(saved.contextData[0]).toMatchObject({ ArtifactType: 'Process', UpdateOrAdd: 'Add' });
  });
});
