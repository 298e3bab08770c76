import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { D3ResponseError } from '../errors.js';
import { createRedactor } from '../redact.js';
import { callFor, requestFor } from '../test-support/calls.js';
import { callErrors } from './call.js';
import { redirectLayer } from './redirects.js';

const layer = redirectLayer(callErrors(createRedactor({ secrets: ['k-SECRET'] }), systemClock));

describe('redirectLayer', () => {
  it('turns every 3xx into a D3ResponseError with an unknown outcome, target without secrets', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      const send = layer(() =>
        Promise.resolve(
          new Response('moved', {
            status,
            headers: { location: 'https://user:k-SECRET@elsewhere.example/api?key=k-SECRET' },
          }),
        ),
      );
      const call = callFor('SaveArtifactForIncident');
      const error = await send(requestFor(call), call).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(D3ResponseError);
      expect(error).toMatchObject({ status, outcome: 'unknown' });
      expect((error as Error).message).toContain(
        `redirect (${status}) to https://elsewhere.example/api,`,
      );
      expect((error as Error).message).not.toMatch(/SECRET|user|key=/);
    }
  });

  it('passes every other answer through untouched', async () => {
    for (const status of [200, 204, 400, 429, 500]) {
      const answer = new Response(status === 204 ? null : '{}', { status });
      const send = layer(() => Promise.resolve(answer));
      const call = callFor('SetEventTechniques');
      expect(await send(requestFor(call), call)).toBe(answer);
    }
  });
});
