import { describe, expect, it } from 'vitest';
import { systemClock } from '../clock.js';
import { createRedactor } from '../redact.js';
import { callFor, requestFor } from '../test-support/calls.js';
import { captureLogger } from '../test-support/capture-logger.js';
import { callErrors } from './call.js';
import { loggingLayer } from './logging.js';

describe('loggingLayer', () => {
  it('logs each attempt and its answer, with credential headers hidden', async () => {
    const logger = captureLogger();
    const redactor = createRedactor({ secrets: ['k-SECRET-1234'] });
    const send = loggingLayer({ logger, redactor, errors: callErrors(redactor, systemClock) })(() =>
      Promise.resolve(new Response('{}', { status: 202 })),
    );
    const call = callFor('SetEventTechniques', { attempts: 2 });
    const request = requestFor(call);
    request.headers.set('d3key', 'k-SECRET-1234');
    request.headers.set('x-api-key', 'another-credential');
    request.headers.set('x-trace', 'trace-7');
    await send(request, call);
    const [sent, answered] = logger.at('debug');
    expect(sent).toContain('D3 request');
    expect(sent).toContain('"attempt":2');
    expect(sent).toContain('"x-trace":"trace-7"');
    expect(answered).toContain('"status":202');
    const all = logger.lines.join('\n');
    expect(all).not.toContain('k-SECRET-1234');
    expect(all).not.toContain('another-credential');
  });
});
