/**
 * Debug lines per attempt. A wrapper around the `fetch` it is given, so that every attempt (not
 * only the call) gets its lines, with the headers as actually sent, the credential hidden.
 */
import type { D3Logger } from '../logger.js';
import type { Redactor } from '../redact.js';
import type { CallErrors, Layer } from './call.js';

/** Options of {@link loggingLayer}. */
export interface LoggingLayerOptions {
  logger: D3Logger;
  redactor: Redactor;
  errors: CallErrors;
}

/** Logs each request (method, URL, redacted headers) and its answer's status. */
export function loggingLayer({ logger, redactor, errors }: LoggingLayerOptions): Layer {
  return (next) => async (request, call) => {
    const { command, attempts: attempt } = call;
    logger.debug('D3 request', {
      command,
      attempt,
      method: request.method,
      // No secret in it: baseUrl may not carry credentials or a query, and the paths none.
      url: request.url,
      headers: redactor.headers(request.headers),
    });
    const response = await next(request, call);
    const { status } = response;
    logger.debug('D3 response', { command, attempt, status, durationMs: errors.elapsed(call) });
    return response;
  };
}
