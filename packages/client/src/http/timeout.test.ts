import { describe, expect, it } from 'vitest';
import { D3AbortError, D3TimeoutError } from '../errors.js';
import { createRedactor } from '../redact.js';
import { callFor, requestFor } from '../test-support/calls.js';
import { createFakeClock } from '../test-support/fake-clock.js';
import { callErrors, endCall, FailedAttempt, type Send } from './call.js';
import { timeoutLayer } from './timeout.js';

const setup = (fetch: Send, timeoutMs = 100) => {
  const clock = createFakeClock();
  const send = timeoutLayer({ timeoutMs, clock, errors: callErrors(createRedactor(), clock) })(
    fetch,
  );
  return { clock, send };
};

/** A body that sends one chunk and then never ends. */
const endless = () =>
  new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new TextEncoder().encode('{"error":'));
    },
  });

describe('timeoutLayer', () => {
  it('fails a silent attempt as a timeout and aborts the signal the fetch asked for', async () => {
    let signal: AbortSignal | undefined;
    const { clock, send } = setup((_request, call) => {
      signal = call.attempt?.signal;
      return new Promise<Response>(() => {});
    });
    const call = callFor('SetEventTechniques');
    const pending = send(requestFor(call), call).catch((e: unknown) => e);
    await clock.untilTimer(100);
    await clock.advance(100);
    const failure = await pending;
    expect(failure).toBeInstanceOf(FailedAttempt);
    expect(failure).toMatchObject({ kind: 'timeout', timeoutMs: 100 });
    expect(call.attempts).toBe(1);
    expect(signal?.aborted).toBe(true);
  });

  it('keeps the answer’s body under the timer: a stalled body fails the call with D3TimeoutError', async () => {
    let signal: AbortSignal | undefined;
    const { clock, send } = setup((_request, call) => {
      signal = call.attempt?.signal;
      return Promise.resolve(new Response(endless()));
    });
    const failures: unknown[] = [];
    const call = callFor('SaveArtifactForIncident', {
      bodyFailed: (error) => failures.push(error),
    });
    await send(requestFor(call), call);
    await clock.advance(100);
    expect(failures).toHaveLength(1);
    const [error] = failures;
    expect(error).toBeInstanceOf(D3TimeoutError);
    // The server answered: the command may have run.
    expect(error).toMatchObject({ outcome: 'unknown', timeoutMs: 100, attempts: 1 });
    // A `fetch` that honours its signal fails the read with the same error.
    expect(signal?.reason).toBe(error);
  });

  it('stops watching once the call ends: a later deadline changes nothing', async () => {
    let signal: AbortSignal | undefined;
    const { clock, send } = setup((_request, call) => {
      signal = call.attempt?.signal;
      return Promise.resolve(Response.json({ error: '' }));
    });
    const failures: unknown[] = [];
    const call = callFor('SetEventTechniques', { bodyFailed: (error) => failures.push(error) });
    const response = await send(requestFor(call), call);
    expect(await response.json()).toEqual({ error: '' });
    endCall(call);
    await clock.advance(1000);
    expect(signal?.aborted).toBe(false);
    expect(failures).toEqual([]);
  });

  it('settles an attempt the caller aborts even when the fetch ignores its signal', async () => {
    const controller = new AbortController();
    const { send } = setup(() => {
      controller.abort(new Error('user gave up'));
      return new Promise<Response>(() => {});
    });
    const call = callFor('TriggerIncidentExternalAction', { signal: controller.signal });
    const failure = await send(requestFor(call), call).catch((e: unknown) => e);
    expect(failure).toMatchObject({ kind: 'abort', reachedServer: true });
  });

  it('fails a body read the caller aborts with D3AbortError', async () => {
    const controller = new AbortController();
    const { send } = setup(() => Promise.resolve(new Response(endless())));
    const failures: unknown[] = [];
    const call = callFor('SetEventTechniques', {
      signal: controller.signal,
      bodyFailed: (error) => failures.push(error),
    });
    await send(requestFor(call), call);
    controller.abort();
    expect(failures).toHaveLength(1);
    expect(failures[0]).toBeInstanceOf(D3AbortError);
  });

  it('turns a thrown fetch error into a network failure that says whether it reached the server', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    for (const [cause, reachedServer] of [
      [new TypeError('fetch failed', { cause: refused }), false],
      [new TypeError('fetch failed', { cause: new Error('other side closed') }), true],
    ] as const) {
      const { send } = setup(() => Promise.reject(cause));
      const call = callFor('SetEventTechniques');
      const failure = await send(requestFor(call), call).catch((e: unknown) => e);
      expect(failure).toMatchObject({ kind: 'network', reachedServer, cause });
    }
  });
});
