import { createMockD3 } from '@d3soar/mock-server';
import { describe, expect, it } from 'vitest';

import { createD3Client } from './client.js';
import { D3ResponseError, D3ValidationError } from './errors.js';

const KEY = 'PASTED-KEY-0123456789';

describe('what the client throws', () => {
  it('never echoes a configured secret that was pasted into the input by mistake', async () => {
    const mock = createMockD3({ apiKeys: [KEY] });
    const d3 = createD3Client({
      baseUrl: 'https://d3.mock.invalid/MainApp/VSOC',
      username: 'Admin',
      site: 'Security Operations',
      auth: { apiKey: KEY },
      fetch: mock.fetch,
    });
    const error: unknown = await d3
      .setEventTechniques({ eventIds: [60250], techniques: [KEY] })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(D3ValidationError);
    const shown = JSON.stringify({
      message: (error as Error).message,
      stack: (error as Error).stack,
      json: (error as D3ValidationError).toJSON(),
      issues: (error as D3ValidationError).issues,
    });
    expect(shown).toContain('techniques');
    expect(shown).not.toContain(KEY);
  });

  it('turns a 200 whose body is not JSON into a D3ResponseError from client.raw', async () => {
    const d3 = createD3Client({
      baseUrl: 'https://d3.example.invalid/MainApp/VSOC',
      username: 'Admin',
      site: 'Security Operations',
      auth: { apiKey: KEY },
      fetch: () =>
        Promise.resolve(
          new Response('<html>proxy error</html>', {
            status: 200,
            headers: { 'content-type': 'application/json' },
          }),
        ),
      retry: false,
    });
    const error: unknown = await d3.raw
      .POST('/Command/SetEventTechniques', {
        body: {
          Username: 'Admin',
          Site: 'Security Operations',
          CommandParams: { 'Event IDs': [1] },
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(D3ResponseError);
    expect((error as D3ResponseError).command).toBe('SetEventTechniques');
    expect((error as Error).message).toMatch(/not JSON/);
  });
});
