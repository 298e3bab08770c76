import { describe, expect, it } from 'vitest';
import { createRateLimiter } from '../rate-limiter.js';
import { callFor, requestFor } from '../test-support/calls.js';
import { createFakeClock } from '../test-support/fake-clock.js';
import { createRedactor } from '../redact.js';
import { systemClock, type Clock } from '../clock.js';
import { D3TimeoutError } from '../errors.js';
import { callErrors, FailedAttempt } from './call.js';
import { rateLimitLayer } from './rate-limit.js';

const layer = (
  limiter: Parameters<typeof rateLimitLayer>[0]['limiter'],
  clock: Clock = systemClock,
  timeoutMs = 30_000,
) => rateLimitLayer({ limiter, errors: callErrors(createRedactor(), clock), clock, timeoutMs });

/** The layer over a `fetch` that answers at once and counts what reached it. */
function counting(wrapped: ReturnType<typeof layer>) {
  let sent = 0;
  const send = wrapped(() => {
    sent++;
    return Promise.resolve(new Response('{}'));
  });
  return { send, sent: () => sent };
}

describe('rateLimitLayer', () => {
  it('holds a concurrency slot per attempt until its answer arrives', async () => {
    const limiter = createRateLimiter({ requestsPerSecond: 100, maxConcurrency: 1 });
    const answers: ((response: Response) => void)[] = [];
    const send = layer(limiter)(() => new Promise<Response>((resolve) => answers.push(resolve)));
    const calls = [callFor('SetEventTechniques'), callFor('SetEventTechniques')];
    const pending = calls.map((call) => send(requestFor(call), call));
    await new Promise((resolve) => setImmediate(resolve));
    // The second attempt waits for the first one's slot.
    expect(answers).toHaveLength(1);
    answers[0]!(new Response('{}'));
    await pending[0];
    await new Promise((resolve) => setImmediate(resolve));
    expect(answers).toHaveLength(2);
    answers[1]!(new Response('{}'));
    await pending[1];
  });

  it('ends a wait the caller aborts as an attempt that was never sent', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 1, maxConcurrency: 5 }, clock);
    const { send, sent } = counting(layer(limiter, clock));
    const first = callFor('SaveArtifactForIncident');
    await send(requestFor(first), first);
    const controller = new AbortController();
    const second = callFor('SaveArtifactForIncident', { signal: controller.signal });
    const waiting = send(requestFor(second), second).catch((e: unknown) => e);
    await clock.untilTimer();
    controller.abort();
    const failure = await waiting;
    expect(failure).toBeInstanceOf(FailedAttempt);
    expect(failure).toMatchObject({ kind: 'abort', reachedServer: false });
    expect(sent()).toBe(1);
  });

  it('gives up a wait for the budget at timeoutMs: D3TimeoutError, nothing sent', async () => {
    const clock = createFakeClock();
    const limiter = createRateLimiter({ requestsPerSecond: 1, maxConcurrency: 5 }, clock);
    const { send, sent } = counting(layer(limiter, clock, 400));
    const first = callFor('SaveArtifactForIncident');
    await send(requestFor(first), first);
    const second = callFor('SaveArtifactForIncident');
    const waiting = send(requestFor(second), second).catch((e: unknown) => e);
    await clock.untilTimer(400);
    await clock.advance(400);
    const failure = await waiting;
    expect(failure).toBeInstanceOf(D3TimeoutError);
    expect(failure).toMatchObject({ outcome: 'not_sent', timeoutMs: 400 });
    expect(sent()).toBe(1);
    // The place it gave up was not taken: the next request goes as soon as the window allows.
    await clock.advance(600);
    const third = callFor('SaveArtifactForIncident');
    await send(requestFor(third), third);
    expect(sent()).toBe(2);
  });
});
