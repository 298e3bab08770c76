import { describe, expect, it } from 'vitest';
import { idleClientScript, runScript } from './test-support/run-script.js';

// Calls with a two-minute time limit, then nothing left to do.
const script = idleClientScript({
  options: 'timeoutMs: 120000, rateLimit: false',
  calls: 3,
  after: `await client.raw.POST('/Command/SetEventTechniques', { body: { Username: 'Admin', Site: 'S', CommandParams: { 'Event IDs': [1] } } });`,
});

describe('an idle client', () => {
  it('does not keep the process running once its calls are over', async () => {
    // Were a time limit's timer holding it, it would run for two minutes.
    const { code, stdout } = await runScript(script);
    expect(stdout.trim()).toBe('done');
    expect(code).toBe(0);
  }, 40_000);
});
