import { describe, expect, it, vi } from 'vitest';
import {
  D3AbortError,
  D3BadRequestError,
  D3CommandError,
  D3Error,
  D3NetworkError,
  D3RateLimitError,
  D3ResponseError,
  D3ServerError,
  D3TimeoutError,
} from './errors.js';
import { captureLogger } from './test-support/capture-logger.js';
import { mockWithClient, seedEventIds, seedIncident } from './test-support/mock-client.js';

const setOne = { eventIds: seedEventIds(1), techniques: ['T1569'] };

async function failure(promise: Promise<unknown>): Promise<D3Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(D3Error);
  return error as D3Error;
}

describe('error classes, from real mock answers', () => {
  it('D3BadRequestError for a 400, with the server’s message and body', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SetEventTechniques', { type: 'status', status: 400 });
    const error = await failure(client.setEventTechniques(setOne));
    expect(error).toBeInstanceOf(D3BadRequestError);
    expect(error).toMatchObject({ status: 400, attempts: 1, outcome: 'rejected' });
    expect(error.body).toHaveProperty('Error');
  });

  it('D3RateLimitError once every attempt got a 429, with the server’s Retry-After', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SaveArtifactForIncident', { type: 'status', status: 429, retryAfterSeconds: 0 });
    const error = await failure(
      client.saveArtifacts({ incidentNumber: seedIncident().Number, artifacts: ['10.1.2.3'] }),
    );
    expect(error).toBeInstanceOf(D3RateLimitError);
    expect(error).toMatchObject({ status: 429, attempts: 3, retryAfterMs: 0, outcome: 'rejected' });
    expect(mock.state.requests.SaveArtifactForIncident).toBe(3);
  });

  it('D3RateLimitError at once when Retry-After asks for more than maxRetryAfterMs', async () => {
    const { mock, client } = mockWithClient(
      {},
      { retry: { maxAttempts: 3, maxRetryAfterMs: 1000 } },
    );
    mock.inject('SaveArtifactForIncident', { type: 'status', status: 429, retryAfterSeconds: 2 });
    const error = await failure(
      client.saveArtifacts({ incidentNumber: seedIncident().Number, artifacts: ['10.1.2.3'] }),
    );
    expect(error).toBeInstanceOf(D3RateLimitError);
    expect(error).toMatchObject({ status: 429, attempts: 1, retryAfterMs: 2000 });
    expect(error.message).toContain('D3 asks to wait 2 s');
    expect(mock.state.requests.SaveArtifactForIncident).toBe(1);
  });

  it('D3ServerError after retrying 5xx on an idempotent command; outcome unknown', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SetEventTechniques', { type: 'status', status: 500 });
    const error = await failure(client.setEventTechniques(setOne));
    expect(error).toBeInstanceOf(D3ServerError);
    expect(error).toMatchObject({ status: 500, attempts: 3, outcome: 'unknown' });
  });

  it('D3ServerError for an HTML error page from a proxy', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SetEventTechniques', { type: 'html' });
    const error = await failure(client.setEventTechniques(setOne));
    expect(error).toBeInstanceOf(D3ServerError);
    expect(String(error.body)).toMatch(/<html/i);
  });

  it('D3CommandError for a 200 whose error is set, e.g. an unknown incident', async () => {
    const { client } = mockWithClient();
    const error = await failure(
      client.saveArtifacts({ incidentNumber: '19990101-1', artifacts: ['10.1.2.3'] }),
    );
    expect(error).toBeInstanceOf(D3CommandError);
    expect(error.message).toContain('19990101-1');
    expect(error).toMatchObject({ status: 200, attempts: 1, outcome: 'rejected' });
  });

  it('D3ResponseError for a truncated 200 body or a 200 HTML page', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SetEventTechniques', { type: 'truncated' }, { times: 1 });
    mock.inject('SetEventTechniques', { type: 'html', status: 200 }, { times: 1 });
    for (let i = 0; i < 2; i++) {
      const error = await failure(client.setEventTechniques(setOne));
      expect(error).toBeInstanceOf(D3ResponseError);
      expect(error).toMatchObject({ status: 200, outcome: 'unknown' });
    }
  });

  it('D3NetworkError when the connection drops on every attempt', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SetEventTechniques', { type: 'drop' });
    const error = await failure(client.setEventTechniques(setOne));
    expect(error).toBeInstanceOf(D3NetworkError);
    expect(error).toMatchObject({ attempts: 3, outcome: 'unknown' });
    expect(error.message).toContain('other side closed');
  });
});

describe('timeouts and aborts', () => {
  it('D3TimeoutError when every attempt outlives timeoutMs', async () => {
    // The timeout's timer is due long before the mock's latency timer, however busy the machine.
    const { mock, client } = mockWithClient({}, { timeoutMs: 20 });
    mock.inject('SetEventTechniques', { type: 'latency', ms: 2000 });
    const error = await failure(client.setEventTechniques(setOne));
    expect(error).toBeInstanceOf(D3TimeoutError);
    expect(error).toMatchObject({ attempts: 3, outcome: 'unknown', timeoutMs: 20 });
  });

  it('recovers when only the first attempt is slow', async () => {
    // Wide margins: the second attempt has 500 ms for an in-process answer; the first is held 5 s.
    const { mock, client } = mockWithClient({}, { timeoutMs: 500 });
    mock.inject('SetEventTechniques', { type: 'latency', ms: 5000 }, { times: 1 });
    const result = await client.setEventTechniques(setOne);
    expect(result.ok).toBe(true);
    expect(mock.state.requests.SetEventTechniques).toBe(2);
  });

  it('aborts a call in flight with D3AbortError; a pre-aborted call sends nothing', async () => {
    const { mock, client } = mockWithClient();
    mock.inject('SetEventTechniques', { type: 'latency', ms: 5000 });
    const controller = new AbortController();
    const pending = client.setEventTechniques({ ...setOne, signal: controller.signal });
    setTimeout(() => controller.abort(), 10);
    const error = await failure(pending);
    expect(error).toBeInstanceOf(D3AbortError);
    expect(error).toMatchObject({ name: 'AbortError', outcome: 'unknown', attempts: 1 });

    const before = mock.state.requests.SetEventTechniques;
    const early = await failure(
      client.setEventTechniques({ ...setOne, signal: AbortSignal.abort() }),
    );
    expect(early).toMatchObject({ name: 'AbortError', outcome: 'not_sent', attempts: 0 });
    expect(mock.state.requests.SetEventTechniques).toBe(before);
  });

  it('aborts the wait for a long Retry-After instead of sleeping through it', async () => {
    const controller = new AbortController();
    // Abort as the client starts waiting (it logs the retry just before), not on a timer.
    const logger = { ...captureLogger(), warn: () => controller.abort() };
    const { mock, client } = mockWithClient(
      {},
      { retry: { maxAttempts: 3, maxRetryAfterMs: 60_000 }, logger },
    );
    mock.inject('SetEventTechniques', { type: 'status', status: 429, retryAfterSeconds: 60 });
    const error = await failure(
      client.setEventTechniques({ ...setOne, signal: controller.signal }),
    );
    expect(error).toBeInstanceOf(D3AbortError);
    expect(error).toMatchObject({ attempts: 1, outcome: 'rejected' });
  });

  it('never re-sends TriggerIncidentExternalAction after a timeout: the run happens once', async () => {
    const { mock, client } = mockWithClient({}, { timeoutMs: 50 });
    mock.inject('TriggerIncidentExternalAction', { type: 'latency', ms: 600 });
    const incident = seedIncident(4);
    const error = await failure(
      client.triggerIncidentExternalAction({
        where: { Number: incident.Number },
        triggerData: { n: 1 },
      }),
    );
    expect(error).toBeInstanceOf(D3TimeoutError);
    expect(error).toMatchObject({ attempts: 1, outcome: 'unknown' });
    expect(error.message).toMatch(/playbooks may have run/);
    // The mock runs the command once its latency is over; wait for that, however long it takes.
    await vi.waitFor(() => expect(mock.state.playbookRuns.length).toBeGreaterThan(0), {
      timeout: 10_000,
      interval: 20,
    });
    expect(mock.state.requests.TriggerIncidentExternalAction).toBe(1);
    const runsPerPlaybook = new Map<string, number>();
    for (const run of mock.state.playbookRuns) {
      runsPerPlaybook.set(run.PlaybookName, (runsPerPlaybook.get(run.PlaybookName) ?? 0) + 1);
    }
    expect(runsPerPlaybook.size).toBeGreaterThan(0);
    expect([...runsPerPlaybook.values()].every((count) => count === 1)).toBe(true);
  });
});
