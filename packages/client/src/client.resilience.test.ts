import {
  defaultSeed,
  externalActionTrigger,
  type MockEvent,
  type SeedData,
} from '@d3soar/mock-server';
import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from './concurrency.js';
import { D3CommandError, D3Error, D3ResponseError, D3ServerError } from './errors.js';
import { captureLogger } from './test-support/capture-logger.js';
import { mockWithClient, seedEventIds, seedIncident, SITE } from './test-support/mock-client.js';

describe('retries under load', () => {
  it('completes 2,000 calls with 30 % injected 429s, every one within the attempt budget', async () => {
    const maxAttempts = 8;
    const logger = captureLogger();
    const { mock, client } = mockWithClient(
      { random: 7 },
      {
        retry: { maxAttempts, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1 },
        logger: { ...logger, debug: () => {} },
      },
    );
    // Retry-After: 0, so 2,000 calls need no real waiting (a longer one than maxRetryAfterMs
    // would end the call at once instead).
    mock.inject('*', { type: 'status', status: 429, retryAfterSeconds: 0 }, { probability: 0.3 });
    const incident = seedIncident(5);
    const eventIds = seedEventIds(4);
    const calls = Array.from({ length: 2000 }, (_, i) => i);
    let triggers = 0;
    const results = await mapWithConcurrency(calls, 50, async (i) => {
      switch (i % 3) {
        case 0:
          return client.setEventTechniques({ eventIds, techniques: ['T1569'] });
        case 1:
          return client.saveArtifacts({
            incidentNumber: incident.Number,
            artifacts: [`10.0.${i >> 8}.${i & 255}`],
          });
        default:
          triggers++;
          return client.triggerIncidentExternalAction({
            where: { Number: incident.Number },
            triggerData: { i },
          });
      }
    });
    expect(results).toHaveLength(2000);
    const sent = Object.values(mock.state.requests).reduce((a, b) => a + b, 0);
    const retries = logger.at('warn').filter((line) => line.includes('D3 retrying')).length;
    expect(sent).toBe(2000 + retries);
    // About 30 % of all requests were refused: 2,000 successes need ≈ 2,000 / 0.7 requests.
    expect(retries / sent).toBeGreaterThan(0.25);
    expect(retries / sent).toBeLessThan(0.35);
    // 429s are refusals: every trigger ran its playbooks exactly once despite the retries.
    const playbooksPerTrigger = defaultSeed.playbooks.filter(
      (p) => p.Site === SITE && p.Triggers.includes(externalActionTrigger),
    ).length;
    expect(mock.state.playbookRuns).toHaveLength(triggers * playbooksPerTrigger);
  }, 30_000);
});

describe('client-side rate limit', () => {
  it('keeps a burst of calls under the server’s own limit, so none is refused', async () => {
    const logger = captureLogger();
    const { mock, client } = mockWithClient(
      { rateLimit: { requestsPerSecond: 20 } },
      { rateLimit: { requestsPerSecond: 18, maxConcurrency: 4 }, logger },
    );
    const calls = Array.from({ length: 30 }, (_, i) => i);
    await Promise.all(
      calls.map(() =>
        client.setEventTechniques({ eventIds: seedEventIds(1), techniques: ['T1569'] }),
      ),
    );
    expect(mock.state.requests.SetEventTechniques).toBe(calls.length);
    expect(logger.at('warn')).toEqual([]);
  });
});

describe('TriggerIncidentExternalAction is never re-sent', () => {
  /** The default data set with one external-action playbook, so one trigger = one run. */
  const oneRunSeed: SeedData = {
    ...defaultSeed,
    playbooks: [
      {
        PlaybookId: 1,
        PlaybookName: 'Contain host',
        Site: SITE,
        Triggers: [externalActionTrigger],
      },
    ],
  };

  it('leaves exactly one playbook run per call that reached the command, with 500s injected', async () => {
    const { mock, client } = mockWithClient(
      { seed: oneRunSeed, random: 3 },
      { retry: { maxAttempts: 5, baseDelayMs: 1, maxDelayMs: 2, maxRetryAfterMs: 1 } },
    );
    // 500s answer before the command runs; truncated answers come after it ran.
    mock.inject(
      'TriggerIncidentExternalAction',
      { type: 'status', status: 500 },
      { probability: 0.3 },
    );
    mock.inject('TriggerIncidentExternalAction', { type: 'truncated' }, { probability: 0.2 });
    const incident = seedIncident(0);
    const calls = Array.from({ length: 60 }, (_, call) => call);
    const outcomes = await mapWithConcurrency(calls, 6, (call) =>
      client
        .triggerIncidentExternalAction({
          where: { Number: incident.Number },
          triggerData: { call },
        })
        .then(
          () => 'ok' as const,
          (error: unknown) => error,
        ),
    );
    expect(mock.state.requests.TriggerIncidentExternalAction).toBe(calls.length);
    const runsOf = (call: number) =>
      mock.state.playbookRuns.filter((run) => run.TriggerData.call === call).length;
    const seen = { ok: 0, server: 0, truncated: 0 };
    outcomes.forEach((outcome, call) => {
      if (outcome === 'ok') {
        seen.ok++;
        expect(runsOf(call)).toBe(1);
      } else if (outcome instanceof D3ServerError) {
        seen.server++;
        expect(outcome).toMatchObject({ attempts: 1, outcome: 'unknown' });
        expect(outcome.message).toMatch(/outcome is unknown/);
        expect(runsOf(call)).toBe(0);
      } else {
        seen.truncated++;
        expect(outcome).toBeInstanceOf(D3ResponseError);
        expect(outcome).toMatchObject({ attempts: 1, outcome: 'unknown' });
        expect(runsOf(call)).toBe(1);
      }
    });
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.server).toBeGreaterThan(0);
    expect(seen.truncated).toBeGreaterThan(0);
  });
});

describe('batching', () => {
  const EVENTS = 10_000;
  const bigSeed: SeedData = {
    ...defaultSeed,
    events: [
      ...defaultSeed.events,
      ...Array.from({ length: EVENTS }, (_, i): MockEvent => ({
        EventId: 1_000_000 + i,
        Site: SITE,
        EventName: `Bulk event ${i}`,
        DataSource: 'Bulk import',
        Severity: 'Low',
        CreatedUtcTime: '2024-01-01T00:00:00Z',
        Techniques: [],
      })),
    ],
  };

  it('splits 10,000 event IDs into batches and reports the one failing batch without losing the rest', async () => {
    const logger = captureLogger();
    const { mock, client } = mockWithClient(
      { seed: bigSeed },
      { logger, batchSize: 500, batchConcurrency: 4 },
    );
    mock.inject(
      'SetEventTechniques',
      { type: 'command-error', message: 'Event store is busy.' },
      { times: 1 },
    );
    const eventIds = Array.from({ length: EVENTS }, (_, i) => 1_000_000 + i);
    const result = await client.setEventTechniques({ eventIds, techniques: ['T1569'] });

    expect(result.batchCount).toBe(20);
    expect(result.ok).toBe(false);
    expect(result.failedBatches).toHaveLength(1);
    const [failed] = result.failedBatches;
    expect(failed!.error).toBeInstanceOf(D3CommandError);
    expect(failed!.error.message).toContain('Event store is busy.');
    expect(failed!.eventIds).toHaveLength(500);
    expect(result.contextData).toHaveLength(EVENTS - 500);
    // The failed batch is a contiguous slice; every other ID came back, in order.
    const failedIds = new Set(failed!.eventIds);
    expect(result.contextData.map((entry) => entry.EventId)).toEqual(
      eventIds.filter((id) => !failedIds.has(id)),
    );
    const tagged = mock.state.events.filter(
      (event) => event.EventId >= 1_000_000 && event.Techniques.length > 0,
    );
    expect(tagged).toHaveLength(EVENTS - 500);
    expect(tagged.some((event) => failedIds.has(event.EventId))).toBe(false);
    expect(mock.state.requests.SetEventTechniques).toBe(20);
    expect(logger.at('warn').some((line) => line.includes('D3 batch failed'))).toBe(true);
  });

  it('throws the error itself when every batch fails', async () => {
    const { mock, client } = mockWithClient({}, { batchSize: 1 });
    mock.inject('SetEventTechniques', { type: 'command-error', message: 'Read-only mode.' });
    const error = await client
      .setEventTechniques({ eventIds: seedEventIds(3), techniques: ['T1569'] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(D3CommandError);
    expect((error as D3Error).message).toContain('Read-only mode.');
  });
});
