import { describe, expect, it } from 'vitest';
import { runScript } from './test-support/run-script.js';

// A script that makes calls with a two-minute time limit, then has nothing left to do.
const script = `
import { createD3Client } from './src/client.ts';
const client = createD3Client({
  baseUrl: 'https://d3.example/VSOC',
  username: 'Admin',
  site: 'S',
  auth: { apiKey: 'exit-test-key' },
  timeoutMs: 120000,
  rateLimit: false,
  fetch: async (request) => {
    await request.text();
    return Response.json({ error: '', returnData: 'Successful', contextData: [] });
  },
});
for (let i = 0; i < 3; i++) await client.setEventTechniques({ eventIds: [1], techniques: ['T1569'] });
await client.raw.POST('/Command/SetEventTechniques', { body: { Username: 'Admin', Site: 'S', CommandParams: { 'Event IDs': [1] } } });
console.log('done');
`;

describe('an idle client', () => {
  it('does not keep the process running once its calls are over', async () => {
    // Were a time limit's timer holding it, it would run for two minutes.
    const { code, stdout } = await runScript(script);
    expect(stdout.trim()).toBe('done');
    expect(code).toBe(0);
  }, 40_000);
});
