import { describe, expect, it } from 'vitest';
import {
  D3AbortError,
  D3AuthError,
  D3BadRequestError,
  D3CommandError,
  D3Error,
  D3NetworkError,
  D3RateLimitError,
  D3ResponseError,
  D3ServerError,
  D3TimeoutError,
  D3ValidationError,
} from './errors.js';

describe('D3Error family', () => {
  it('gives every subclass its own name and keeps instanceof D3Error and Error', () => {
    const init = { command: 'SetEventTechniques' };
    const errors = [
      new D3BadRequestError('x', init),
      new D3AuthError('x', init),
      new D3RateLimitError('x', init),
      new D3ServerError('x', init),
      new D3CommandError('x', init),
      new D3TimeoutError('x', { ...init, timeoutMs: 5 }),
      new D3NetworkError('x', init),
      new D3ResponseError('x', init),
      new D3ValidationError('SetEventTechniques', [{ path: 'eventIds', message: 'x' }]),
    ];
    const names = errors.map((error) => error.name);
    expect(new Set(names).size).toBe(errors.length);
    for (const error of errors) {
      expect(error).toBeInstanceOf(D3Error);
      expect(error).toBeInstanceOf(Error);
      expect(error.name).toBe(error.constructor.name);
    }
  });

  it('names abort errors AbortError so generic abort checks still recognise them', () => {
    const error = new D3AbortError('aborted', { command: 'SaveArtifactForIncident' });
    expect(error.name).toBe('AbortError');
    expect(error).toBeInstanceOf(D3Error);
  });

  it('serialises the call details in toJSON, without the stack', () => {
    const cause = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const error = new D3NetworkError('failed', {
      command: 'SetEventTechniques',
      status: undefined,
      attempts: 3,
      durationMs: 42,
      outcome: 'unknown',
      cause,
    });
    const json = JSON.parse(JSON.stringify(error)) as Record<string, unknown>;
    expect(json).toEqual({
      name: 'D3NetworkError',
      message: 'failed',
      reason: 'failed',
      command: 'SetEventTechniques',
      attempts: 3,
      durationMs: 42,
      outcome: 'unknown',
      cause: { name: 'Error', message: 'socket hang up', code: 'ECONNRESET' },
    });
    expect(json.stack).toBeUndefined();
  });

  it('carries retryAfterMs on rate-limit errors, also in toJSON', () => {
    const error = new D3RateLimitError('slow down', {
      command: 'SetEventTechniques',
      status: 429,
      retryAfterMs: 1500,
    });
    expect(error.retryAfterMs).toBe(1500);
    expect(error.toJSON()).toMatchObject({ status: 429, retryAfterMs: 1500 });
  });

  it('lists every validation problem with its path and suggestions in the message', () => {
    const error = new D3ValidationError('SetEventTechniques', [
      { path: 'eventIds.1', message: 'must be a positive integer, got "x"' },
      {
        path: 'techniques.0',
        message: 'unknown technique "powershel"',
        suggestions: ['T1059.001'],
      },
    ]);
    expect(error.message).toContain('2 problems');
    expect(error.message).toContain('eventIds.1: must be a positive integer');
    expect(error.message).toContain('did you mean: T1059.001?');
    expect(error.outcome).toBe('not_sent');
    expect(error.attempts).toBe(0);
    expect(error.toJSON().issues).toHaveLength(2);
  });

  it('does not repeat suggestions a message already names', () => {
    const error = new D3ValidationError('SetEventTechniques', [
      {
        path: 'tactics.0',
        message: 'Unknown tactic "Initial Acess". Did you mean TA0001?',
        suggestions: ['TA0001'],
      },
    ]);
    expect(error.message.match(/did you mean/gi)).toHaveLength(1);
  });
});
