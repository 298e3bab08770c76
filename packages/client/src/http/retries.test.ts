import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { D3AbortError, D3NetworkError } from '../errors.js';
import { createRedactor } from '../redact.js';
import { DEFAULT_RETRY, type RetryPolicy } from '../retry.js';
import { callFor, requestFor } from '../test-support/calls.js';
import { systemClock } from '../clock.js';
import { callErrors, FailedAttempt, type Send } from './call.js';
import { retryLayer } from './retries.js';

const NO_WAIT: RetryPolicy = { ...DEFAULT_RETRY, baseDelayMs: 0 };

function setup(fetch: Send, policy: RetryPolicy = NO_WAIT) {
  // Real timers: backoffs of 0 ms pass at once.
  const clock = systemClock;
  const errors = callErrors(createRedactor(), clock);
  // Each attempt counted, as the timeout layer below it would.
  const counted: Send = (request, call) => {
    call.attempts++;
    return fetch(request, call);
  };
  return retryLayer({ policy, clock, errors })(counted);
}

describe('retryLayer', () => {
  it('re-sends a copy of the request with the same body text, URL, headers and no redirects', async () => {
    const seen: Request[] = [];
    const bodies: string[] = [];
    const send = setup(async (request) => {
      seen.push(request);
      bodies.push(await request.text());
      return new Response(null, { status: seen.length < 3 ? 503 : 200 });
    });
    const call = callFor('SetEventTechniques');
    const first = requestFor(call);
    first.headers.set('x-trace', 'abc');
    const response = await send(first, call);
    expect(response.status).toBe(200);
    expect(seen[0]).toBe(first);
    expect(new Set(seen).size).toBe(3);
    expect(bodies).toEqual([call.body, call.body, call.body]);
    for (const request of seen) {
      expect(request.url).toBe(first.url);
      expect(request.headers.get('x-trace')).toBe('abc');
      expect(request.redirect).toBe('manual');
    }
  });

  it('sends a clone when the body text is unknown (a request replaced by middleware)', async () => {
    const bodies: string[] = [];
    const send = setup(async (request) => {
      bodies.push(await request.text());
      return new Response(null, { status: bodies.length === 1 ? 429 : 200 });
    });
    const call = callFor('TriggerIncidentExternalAction', { body: undefined });
    const request = new Request('https://d3.example/api/Command/TriggerIncidentExternalAction', {
      method: 'POST',
      body: '{"replaced":true}',
    });
    expect((await send(request, call)).status).toBe(200);
    expect(bodies).toEqual(['{"replaced":true}', '{"replaced":true}']);
  });

  it('passes errors that are not failed attempts through at once', async () => {
    const final = new D3NetworkError('final', { command: 'SetEventTechniques' });
    let calls = 0;
    const send = setup(() => {
      calls++;
      return Promise.reject(final);
    });
    const call = callFor('SetEventTechniques');
    await expect(send(requestFor(call), call)).rejects.toBe(final);
    expect(calls).toBe(1);
  });

  it('ends with D3AbortError when the caller aborts an attempt in flight', async () => {
    const send = setup(() => Promise.reject(new FailedAttempt('abort', true, undefined)));
    const call = callFor('SaveArtifactForIncident');
    const error = await send(requestFor(call), call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(D3AbortError);
    expect(error).toMatchObject({ outcome: 'unknown', attempts: 1 });
  });

  it('sends as often as the rules allow, whatever the server answers (property)', async () => {
    const answer = fc.oneof(
      fc.constantFrom(200, 400, 401, 429, 500, 502, 503),
      fc.constantFrom('timeout' as const, 'refused' as const, 'dropped' as const),
    );
    const command = fc.constantFrom(
      'SetEventTechniques',
      'SaveArtifactForIncident',
      'TriggerIncidentExternalAction',
    );
    await fc.assert(
      fc.asyncProperty(
        command,
        fc.array(answer, { minLength: 1, maxLength: 8 }),
        fc.integer({ min: 1, max: 6 }),
        async (name, script, maxAttempts) => {
          let sent = 0;
          const send = setup(
            () => {
              const next = script[Math.min(sent++, script.length - 1)]!;
              if (next === 'timeout')
                return Promise.reject(new FailedAttempt('timeout', true, undefined, 10));
              if (next === 'refused')
                return Promise.reject(new FailedAttempt('network', false, undefined));
              if (next === 'dropped')
                return Promise.reject(new FailedAttempt('network', true, undefined));
              return Promise.resolve(new Response(null, { status: next }));
            },
            { ...NO_WAIT, maxAttempts },
          );
          const call = callFor(name);
          await send(requestFor(call), call).catch(() => undefined);
          // The expected count, from the rules: 429 and a refused connection are always
          // retried, anything that may have run the command only for idempotent ones.
          const idempotent = name !== 'TriggerIncidentExternalAction';
          let expected = 0;
          for (;;) {
            const next = script[Math.min(expected, script.length - 1)]!;
            expected++;
            const retryable =
              next === 429 ||
              next === 'refused' ||
              (idempotent &&
                (next === 'timeout' ||
                  next === 'dropped' ||
                  (typeof next === 'number' && next > 499)));
            if (!retryable || expected >= maxAttempts) break;
          }
          expect(sent).toBe(expected);
          expect(call.attempts).toBe(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
