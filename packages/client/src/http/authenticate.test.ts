import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthProvider } from '../auth.js';
import { D3AuthError } from '../errors.js';
import { createRedactor } from '../redact.js';
import { systemClock } from '../clock.js';
import { callFor, requestFor } from '../test-support/calls.js';
import { authLayer } from './authenticate.js';
import { callErrors, type Send } from './call.js';

function setup(auth: Parameters<typeof createAuthProvider>[0]) {
  const redactor = createRedactor();
  const sent: Request[] = [];
  const fetch: Send = (request) => {
    sent.push(request);
    return Promise.resolve(new Response('{}'));
  };
  const send = authLayer({
    auth: createAuthProvider(auth),
    redactor,
    errors: callErrors(redactor, systemClock),
  })(fetch);
  return { send, sent, redactor };
}

describe('authLayer', () => {
  it('sets the credential header over any header of the same name', async () => {
    const { send, sent } = setup({ apiKey: 'the-key' });
    const call = callFor('SetEventTechniques');
    const request = requestFor(call);
    request.headers.set('d3key', 'from-the-caller');
    await send(request, call);
    expect(sent[0]?.headers.get('d3key')).toBe('the-key');
  });

  it('reads the Username for a JWT from the body when the call does not know it (client.raw)', async () => {
    const { send, sent } = setup({ jwtSecret: 'secret-of-the-key' });
    const call = callFor('SaveArtifactForIncident', {
      username: undefined,
      body: JSON.stringify({ Username: 'Analyst 7', Site: 'S', CommandParams: {} }),
    });
    await send(requestFor(call), call);
    const token = sent[0]?.headers.get('d3jwt') ?? '';
    expect(decodeJwt(token).Username).toBe('Analyst 7');
  });

  it('remembers a provider’s token so the redactor can scrub it', async () => {
    const { send, redactor } = setup({ token: () => Promise.resolve('opaque-token-123') });
    const call = callFor('SetEventTechniques');
    await send(requestFor(call), call);
    expect(redactor.text('proxy said opaque-token-123')).not.toContain('opaque-token-123');
  });

  it('fails with a D3AuthError and sends nothing when no JWT can be minted', async () => {
    const { send, sent } = setup({ jwtSecret: 'secret-of-the-key' });
    const call = callFor('SetEventTechniques', { username: undefined, body: 'not json' });
    const error = await send(requestFor(call), call).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(D3AuthError);
    expect(error).toMatchObject({ outcome: 'not_sent', attempts: 0 });
    expect((error as Error).message).toContain('needs a Username');
    expect(sent).toHaveLength(0);
  });
});
