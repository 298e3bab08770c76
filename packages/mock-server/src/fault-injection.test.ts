import { afterEach, describe, expect, it, vi } from 'vitest';
import { createMockD3 } from './create-mock.js';
import { createContractChecker } from './test-support/contract-checker.js';
import { commandUrl, envelope, post, vendorSetEventTechniques } from './test-support/requests.js';
import { faultStatuses, type MockD3 } from './types.js';

const trigger = envelope({ 'Search Conditions': { Number: '20230413-123' }, 'Trigger Data': {} });

// Faults that answer within the contract (status, command-error, latency) are checked against it;
// html, truncated and drop break it on purpose and use the unwrapped fetch.
const checker = createContractChecker();

let listening: MockD3 | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await listening?.close();
  listening = undefined;
  checker.expectNoViolations();
});

describe('fault injection', () => {
  it('answers a status fault in the {"Error"} shape the contract documents, with Retry-After when asked', async () => {
    const contract = createContractChecker();
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    mock.inject(
      'SetEventTechniques',
      { type: 'status', status: 429, retryAfterSeconds: 3 },
      { times: 1 },
    );
    mock.inject('SetEventTechniques', { type: 'status', status: 503 }, { times: 1 });
    const url = commandUrl('SetEventTechniques');
    const limited = await fetch(url, post(vendorSetEventTechniques));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('3');
    expect(await limited.json()).toEqual({
      Error: 'The request exceeds rate limits or is otherwise blocked by rate limiting policies.',
    });
    const unavailable = await fetch(url, post(vendorSetEventTechniques));
    expect(unavailable.status).toBe(503);
    expect(unavailable.headers.get('retry-after')).toBeNull();
    expect((await fetch(url, post(vendorSetEventTechniques))).status).toBe(200);
    expect(contract.count).toBe(3);
    contract.expectNoViolations();
  });

  it('answers every allowed status fault within the contract, an injected 429 with Retry-After: 1 by default', async () => {
    const contract = createContractChecker();
    const mock = createMockD3();
    const fetch = contract.checked(mock.fetch);
    const url = commandUrl('SetEventTechniques');
    for (const status of faultStatuses) {
      mock.inject('SetEventTechniques', { type: 'status', status }, { times: 1 });
      const response = await fetch(url, post(vendorSetEventTechniques));
      expect(response.status).toBe(status);
      expect(response.headers.get('retry-after')).toBe(status === 429 ? '1' : null);
    }
    expect(contract.count).toBe(faultStatuses.length);
    contract.expectNoViolations();
  });

  it('does not run the command when a status fault answers in its place', async () => {
    const mock = createMockD3();
    mock.inject('TriggerIncidentExternalAction', { type: 'status', status: 500 }, { times: 2 });
    const url = commandUrl('TriggerIncidentExternalAction');
    const statuses = [];
    for (let i = 0; i < 3; i += 1)
      statuses.push((await checker.checked(mock.fetch)(url, post(trigger))).status);
    expect(statuses).toEqual([500, 500, 200]);
    expect(mock.state.playbookRuns).toHaveLength(1);
    expect(mock.state.requests.TriggerIncidentExternalAction).toBe(3);
  });

  it('answers a command-error fault with a 200 whose error carries the message', async () => {
    const mock = createMockD3({
      faults: [
        { command: '*', fault: { type: 'command-error', message: 'Injected failure.' }, times: 2 },
      ],
    });
    const first = await checker.checked(mock.fetch)(
      commandUrl('SetEventTechniques'),
      post(vendorSetEventTechniques),
    );
    expect(first.status).toBe(200);
    expect(await first.json()).toEqual({
      error: 'Injected failure.',
      returnData: 'Failed',
      contextData: [],
    });
    const second = await checker.checked(mock.fetch)(
      commandUrl('TriggerIncidentExternalAction'),
      post(trigger),
    );
    expect(await second.json()).toEqual({
      error: 'Injected failure.',
      returnData: { Status: 'Failed' },
    });
    expect(mock.state.playbookRuns).toEqual([]);
  });

  it('answers an html fault with a proxy error page', async () => {
    const mock = createMockD3();
    mock.inject('SaveArtifactForIncident', { type: 'html' });
    mock.inject('SetEventTechniques', { type: 'html', status: 200 });
    const gateway = await mock.fetch(
      commandUrl('SaveArtifactForIncident'),
      post(
        envelope({
          'Artifact Type': null,
          'Artifact Fields': [{ URL: 'http://a.example' }],
          'Incident Number': '20220114-11',
        }),
      ),
    );
    expect(gateway.status).toBe(502);
    expect(gateway.headers.get('content-type')).toMatch(/text\/html/);
    expect(await gateway.text()).toMatch(/<title>502 Bad Gateway<\/title>/);
    const portal = await mock.fetch(
      commandUrl('SetEventTechniques'),
      post(vendorSetEventTechniques),
    );
    expect(portal.status).toBe(200);
    await expect(portal.json()).rejects.toThrow(SyntaxError);
  });

  it('answers a truncated fault with half of the real JSON, after running the command', async () => {
    const mock = createMockD3();
    mock.inject('TriggerIncidentExternalAction', { type: 'truncated' }, { times: 1 });
    const response = await mock.fetch(commandUrl('TriggerIncidentExternalAction'), post(trigger));
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(() => JSON.parse(text) as unknown).toThrow(SyntaxError);
    expect(text.startsWith('{"error":"","returnData":{')).toBe(true);
    // The playbook ran: only the answer was lost, which is why the outcome is unknown to a client.
    expect(mock.state.playbookRuns).toHaveLength(1);
  });

  it('drops the connection in-process as fetch would: a TypeError with a socket cause', async () => {
    const mock = createMockD3();
    mock.inject('SetEventTechniques', { type: 'drop' }, { times: 1 });
    const url = commandUrl('SetEventTechniques');
    const failure = mock.fetch(url, post(vendorSetEventTechniques));
    await expect(failure).rejects.toBeInstanceOf(TypeError);
    await expect(failure).rejects.toMatchObject({
      message: 'fetch failed',
      cause: { code: 'UND_ERR_SOCKET' },
    });
    expect((await mock.fetch(url, post(vendorSetEventTechniques))).status).toBe(200);
  });

  it('drops the connection over a real listener, and the next connection is served', async () => {
    const mock = createMockD3();
    listening = mock;
    const base = await mock.listen();
    mock.inject('SetEventTechniques', { type: 'drop' }, { times: 1 });
    const url = commandUrl('SetEventTechniques', base);
    const dropped: unknown = await fetch(url, post(vendorSetEventTechniques)).catch(
      (error: unknown) => error,
    );
    expect(dropped).toBeInstanceOf(TypeError);
    expect((dropped as { cause?: { code?: string } }).cause?.code).toMatch(
      /UND_ERR_SOCKET|ECONNRESET/,
    );
    const next = await fetch(url, post(vendorSetEventTechniques));
    expect(next.status).toBe(200);
  });

  it('delivers truncated and html bodies over a real listener too', async () => {
    const mock = createMockD3();
    listening = mock;
    const base = await mock.listen();
    mock.inject('SetEventTechniques', { type: 'truncated' }, { times: 1 });
    mock.inject('SetEventTechniques', { type: 'html', status: 503 }, { times: 1 });
    const url = commandUrl('SetEventTechniques', base);
    const truncated = await fetch(url, post(vendorSetEventTechniques));
    expect(truncated.status).toBe(200);
    await expect(truncated.json()).rejects.toThrow(SyntaxError);
    const html = await fetch(url, post(vendorSetEventTechniques));
    expect(html.status).toBe(503);
    expect(await html.text()).toMatch(/<html>/);
  });

  it('delays the answer by a latency fault, then answers normally', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] });
    const mock = createMockD3();
    mock.inject('SetEventTechniques', { type: 'latency', ms: 5_000 }, { times: 1 });
    let settled = false;
    const pending = checker.checked(mock.fetch)(
      commandUrl('SetEventTechniques'),
      post(vendorSetEventTechniques),
    );
    void pending.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(4_999);
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const response = await pending;
    expect(settled).toBe(true);
    expect(response.status).toBe(200);
  });

  it('applies probabilistic faults reproducibly under the same random seed', async () => {
    const statuses = async (random: number) => {
      const mock = createMockD3({ random, rateLimit: false });
      mock.inject('SetEventTechniques', { type: 'status', status: 500 }, { probability: 0.3 });
      const seen: number[] = [];
      for (let i = 0; i < 60; i += 1) {
        seen.push(
          (
            await checker.checked(mock.fetch)(
              commandUrl('SetEventTechniques'),
              post(vendorSetEventTechniques),
            )
          ).status,
        );
      }
      return seen;
    };
    const first = await statuses(42);
    expect(await statuses(42)).toEqual(first);
    expect(first).toContain(500);
    expect(first).toContain(200);
  });

  it('stops injecting after clearFaults()', async () => {
    const mock = createMockD3({
      faults: [{ command: '*', fault: { type: 'status', status: 503 } }],
    });
    const url = commandUrl('SetEventTechniques');
    expect((await checker.checked(mock.fetch)(url, post(vendorSetEventTechniques))).status).toBe(
      503,
    );
    mock.clearFaults();
    expect((await checker.checked(mock.fetch)(url, post(vendorSetEventTechniques))).status).toBe(
      200,
    );
  });

  it('refuses a malformed fault at inject time, naming the field', () => {
    const mock = createMockD3();
    expect(() => mock.inject('SetEventTechniques', { type: 'latency', ms: -1 })).toThrow(/ms/);
    expect(() => mock.inject('SetEventTechniques', { type: 'drop' }, { times: 0 })).toThrow(
      /times/,
    );
  });

  it('answers requests that fail authentication normally, without using up a scripted fault', async () => {
    const mock = createMockD3();
    mock.inject('SetEventTechniques', { type: 'status', status: 503 }, { times: 1 });
    const url = commandUrl('SetEventTechniques');
    expect(
      (await checker.checked(mock.fetch)(url, post(vendorSetEventTechniques, { d3key: 'wrong' })))
        .status,
    ).toBe(401);
    expect((await checker.checked(mock.fetch)(url, post(vendorSetEventTechniques))).status).toBe(
      503,
    );
  });
});
