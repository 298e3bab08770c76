import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

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
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>(
      (resolve) => {
        const child = execFile(
          process.execPath,
          ['--import', 'tsx/esm', '--input-type=module', '-e', script],
          { cwd: packageDir },
          (error, out) => resolve({ code: error ? (error.code as number) : 0, stdout: out }),
        );
        // Were a time limit's timer holding it, it would run for two minutes.
        setTimeout(() => child.kill(), 30_000).unref();
      },
    );
    expect(stdout.trim()).toBe('done');
    expect(code).toBe(0);
  }, 40_000);
});
