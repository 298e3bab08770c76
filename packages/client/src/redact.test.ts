import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './redact.js';

const KEY = 'k3y-5ecret-"quoted"-value';
const JWT =
  'eyJhbGciOiJIUzI1NiJ9.eyJVc2VybmFtZSI6IkFkbWluIn0.c2lnbmF0dXJlLXNpZ25hdHVyZS1zaWduYXR1cmU';

describe('createRedactor', () => {
  const redactor = createRedactor({ secrets: [KEY], sensitiveHeaders: ['X-Api-Token'] });

  it('scrubs secrets, their JSON-escaped form and anything shaped like a JWT from text', () => {
    const text = `key=${KEY} body=${JSON.stringify({ k: KEY })} token=${JWT}`;
    const out = redactor.text(text);
    expect(out).not.toContain('5ecret');
    expect(out).not.toContain(JWT);
    expect(out.split(REDACTED).length - 1).toBe(3);
  });

  it('replaces the values of auth headers whatever their case, and of configured headers', () => {
    const out = redactor.headers(
      new Headers({
        D3Key: KEY,
        d3jwt: JWT,
        'x-api-token': 'abc',
        'content-type': 'application/json',
      }),
    );
    expect(out).toEqual({
      d3key: REDACTED,
      d3jwt: REDACTED,
      'x-api-token': REDACTED,
      'content-type': 'application/json',
    });
  });

  it('copies an error chain with secrets scrubbed from messages and stacks, keeping codes', () => {
    const inner = Object.assign(new Error(`bad key ${KEY}`), { code: 'E_AUTH' });
    const outer = new Error(`wrapped ${JWT}`, { cause: inner });
    const copy = redactor.error(outer) as Error & { cause: Error & { code: string } };
    expect(copy.message).toBe(`wrapped ${REDACTED}`);
    expect(copy.stack).not.toContain(JWT);
    expect(copy.cause.message).toBe(`bad key ${REDACTED}`);
    expect(copy.cause.stack).not.toContain('5ecret');
    expect(copy.cause.code).toBe('E_AUTH');
    expect(outer.message).toContain(JWT);
  });

  it('scrubs strings deep inside values and never assigns a __proto__ key', () => {
    const input: unknown = JSON.parse(
      `{"a":[{"b":"${JWT}"}],"d3key":"x","__proto__":{"polluted":true}}`,
    );
    const out = redactor.value(input) as Record<string, unknown>;
    expect(out).toEqual({ a: [{ b: REDACTED }], d3key: REDACTED });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('scrubs tokens it was told about at run time', () => {
    const local = createRedactor();
    local.remember('opaque-token-123');
    expect(local.text('sent opaque-token-123')).toBe(`sent ${REDACTED}`);
  });

  it('never lets a secret through, wherever it sits in the text', () => {
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom(...Array.from('0123456789abcdef')),
          minLength: 8,
          maxLength: 40,
        }),
        fc.string(),
        fc.string(),
        (secret, before, after) => {
          const out = createRedactor({ secrets: [secret] }).text(`${before}${secret}${after}`);
          expect(out).not.toContain(secret);
        },
      ),
      { numRuns: 200 },
    );
  });
});
