import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  backoffDelay,
  DEFAULT_RETRY,
  isRetryable,
  classifyConnectionError,
  parseRetryAfter,
  resolveRetryPolicy,
} from './retry.js';

const SET = 'SetEventTechniques';
const SAVE = 'SaveArtifactForIncident';
const TRIGGER = 'TriggerIncidentExternalAction';

describe('retry rules', () => {
  it('retries 429 for every command, since the server refused the request', () => {
    for (const command of [SET, SAVE, TRIGGER, 'SomethingElse']) {
      expect(isRetryable(command, { kind: 'status', status: 429 })).toBe(true);
    }
  });

  it('retries 5xx, timeouts and dropped connections only for the idempotent commands', () => {
    const mayHaveRun = [
      { kind: 'status', status: 500 },
      { kind: 'status', status: 503 },
      { kind: 'timeout' },
      { kind: 'network', reachedServer: true },
    ] as const;
    for (const failure of mayHaveRun) {
      expect(isRetryable(SET, failure)).toBe(true);
      expect(isRetryable(SAVE, failure)).toBe(true);
      expect(isRetryable(TRIGGER, failure)).toBe(false);
    }
  });

  it('retries a connection that never opened even for TriggerIncidentExternalAction', () => {
    expect(isRetryable(TRIGGER, { kind: 'network', reachedServer: false })).toBe(true);
  });

  it('never retries other 4xx answers', () => {
    for (const status of [400, 401, 403, 404, 405]) {
      expect(isRetryable(SET, { kind: 'status', status })).toBe(false);
    }
  });

  it('recognises refused connections anywhere in the cause chain', () => {
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    const reset = new TypeError('fetch failed', {
      cause: Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' }),
    });
    expect(classifyConnectionError(refused).reachedServer).toBe(false);
    expect(classifyConnectionError(reset).reachedServer).toBe(true);
    expect(classifyConnectionError('not an error').reachedServer).toBe(true);
  });

  it('counts URLs and arguments undici refuses before connecting as never sent', () => {
    const failed = (cause: Error) => new TypeError('fetch failed', { cause });
    expect(classifyConnectionError(failed(new Error('bad port')))).toMatchObject({
      reachedServer: false,
    });
    expect(classifyConnectionError(failed(new Error('unknown scheme')))).toMatchObject({
      reachedServer: false,
    });
    const invalidHeader = Object.assign(new Error('invalid d3key header'), {
      code: 'UND_ERR_INVALID_ARG',
    });
    expect(classifyConnectionError(failed(invalidHeader))).toMatchObject({ reachedServer: false });
    // A message alone decides only for errors without a code.
    const coded = Object.assign(new Error('bad port'), { code: 'UND_ERR_SOCKET' });
    expect(classifyConnectionError(failed(coded))).toMatchObject({ reachedServer: true });
  });

  it('says what failed before sending, and which failures retrying cannot mend', () => {
    const failed = (message: string, code: string) =>
      new TypeError('fetch failed', { cause: Object.assign(new Error(message), { code }) });
    expect(classifyConnectionError(failed('certificate has expired', 'CERT_HAS_EXPIRED'))).toEqual({
      reachedServer: false,
      permanent: true,
      reason: 'TLS: certificate has expired (CERT_HAS_EXPIRED)',
    });
    expect(
      classifyConnectionError(failed('self-signed certificate', 'DEPTH_ZERO_SELF_SIGNED_CERT')),
    ).toMatchObject({ reachedServer: false, permanent: true });
    expect(classifyConnectionError(failed('getaddrinfo ENOTFOUND x.invalid', 'ENOTFOUND'))).toEqual(
      { reachedServer: false, permanent: true, reason: 'host not found (ENOTFOUND)' },
    );
    expect(classifyConnectionError(failed('connect ECONNREFUSED', 'ECONNREFUSED'))).toEqual({
      reachedServer: false,
      permanent: false,
      reason: 'connection refused (ECONNREFUSED)',
    });
    // A message that happens to name an object's own property is no known failure.
    expect(classifyConnectionError(new Error('constructor'))).toMatchObject({
      reachedServer: true,
    });
  });

  it('never retries a failure retrying cannot mend, for any command', () => {
    for (const command of [SET, 'TriggerIncidentExternalAction']) {
      expect(isRetryable(command, { kind: 'network', reachedServer: false, permanent: true })).toBe(
        false,
      );
      expect(
        isRetryable(command, { kind: 'network', reachedServer: false, permanent: false }),
      ).toBe(true);
    }
  });
});

describe('backoff', () => {
  it('waits a random time between 0 and the capped exponential ceiling (full jitter)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 30 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 0, max: 1000 }),
        fc.integer({ min: 0, max: 20_000 }),
        (attempt, r, baseDelayMs, maxDelayMs) => {
          const policy = { ...DEFAULT_RETRY, baseDelayMs, maxDelayMs };
          const delay = backoffDelay(attempt, policy, () => r);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1)));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('doubles the ceiling per attempt until maxDelayMs', () => {
    const almostOne = () => 0.999999;
    const ceilings = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, DEFAULT_RETRY, almostOne));
    expect(ceilings).toEqual([249, 499, 999, 1999, 3999, 7999, 7999]);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2024, 4, 15, 14, 32, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('reads an HTTP date relative to now, and treats past dates as now', () => {
    expect(parseRetryAfter('Wed, 15 May 2024 14:32:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 15 May 2024 14:00:00 GMT', now)).toBe(0);
  });

  it('ignores missing or unreadable values', () => {
    for (const value of [null, undefined, '', 'soon', '-1', '1.5', '2024-05-15T14:32:05Z']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });
});

describe('resolveRetryPolicy', () => {
  it('fills the documented defaults and turns false into a single attempt', () => {
    expect(resolveRetryPolicy(undefined)).toEqual(DEFAULT_RETRY);
    expect(resolveRetryPolicy({ maxAttempts: 5 })).toEqual({ ...DEFAULT_RETRY, maxAttempts: 5 });
    expect(resolveRetryPolicy(false).maxAttempts).toBe(1);
  });

  it('rejects impossible values, naming the option', () => {
    expect(() => resolveRetryPolicy({ maxAttempts: 0 })).toThrow(/retry\.maxAttempts/);
    expect(() => resolveRetryPolicy({ baseDelayMs: -1 })).toThrow(/retry\.baseDelayMs/);
    expect(() => resolveRetryPolicy({ maxRetryAfterMs: Number.NaN })).toThrow(/maxRetryAfterMs/);
  });
});
