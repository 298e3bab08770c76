import { decodeProtectedHeader, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthProvider } from './auth.js';

const SECRET = 'a-jwt-secret-that-must-stay-private';

describe('createAuthProvider', () => {
  it('sends an API key as is in d3key, or in the header the caller names', async () => {
    const auth = createAuthProvider({ apiKey: 'my-key' });
    expect(auth.headerName).toBe('d3key');
    expect(await auth.credential('Admin')).toBe('my-key');
    expect(createAuthProvider({ apiKey: 'k', headerName: 'X-D3-Key' }).headerName).toBe('X-D3-Key');
  });

  it('mints an HS256 token per request with the Username claim, iat and a short exp', async () => {
    const auth = createAuthProvider({ jwtSecret: SECRET });
    expect(auth.headerName).toBe('d3jwt');
    const token = await auth.credential('Analyst 7');
    const { payload } = await jwtVerify(token, new TextEncoder().encode(SECRET), {
      algorithms: ['HS256'],
    });
    expect(decodeProtectedHeader(token).alg).toBe('HS256');
    expect(payload.Username).toBe('Analyst 7');
    expect(typeof payload.iat).toBe('number');
    expect(payload.exp! - payload.iat!).toBe(60);
    const other = await auth.credential('Admin');
    const { payload: second } = await jwtVerify(other, new TextEncoder().encode(SECRET));
    expect(second.Username).toBe('Admin');
  });

  it('honours a custom token lifetime', async () => {
    const auth = createAuthProvider({ jwtSecret: SECRET, expiresInSeconds: 5 });
    const { payload } = await jwtVerify(
      await auth.credential('Admin'),
      new TextEncoder().encode(SECRET),
    );
    expect(payload.exp! - payload.iat!).toBe(5);
  });

  it('refuses to mint a token without a Username, since D3 checks the claim', async () => {
    const auth = createAuthProvider({ jwtSecret: SECRET });
    await expect(auth.credential(undefined)).rejects.toThrow(/Username/);
  });

  it('asks a token provider before every request and accepts async providers', async () => {
    let calls = 0;
    const auth = createAuthProvider({ token: () => Promise.resolve(`token-${++calls}`) });
    expect(await auth.credential('Admin')).toBe('token-1');
    expect(await auth.credential('Admin')).toBe('token-2');
    const empty = createAuthProvider({ token: () => '' });
    await expect(empty.credential('Admin')).rejects.toThrow(/non-empty string/);
  });

  it('rejects ambiguous or malformed auth without echoing any secret', () => {
    const attempts = [
      () => createAuthProvider({ apiKey: 'secret-one', jwtSecret: 'secret-two' }),
      () => createAuthProvider({} as never),
      () => createAuthProvider({ apiKey: '' }),
      () => createAuthProvider({ apiKey: 'secret-one', headerName: 'bad header' }),
      () => createAuthProvider({ jwtSecret: 'secret-two', expiresInSeconds: 0 }),
    ];
    for (const attempt of attempts) {
      let message = '';
      try {
        attempt();
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/auth/);
      expect(message).not.toMatch(/secret-one|secret-two/);
    }
  });

  it('accepts only API keys and tokens that can travel as a header value, never echoing them', async () => {
    for (const bad of ['k\u20acy-SECRET', 'line\nbreak-SECRET', 'nul\u0000-SECRET', ' \t ']) {
      expect(() => createAuthProvider({ apiKey: bad })).toThrow(/^auth\.apiKey must be/);
      expect(() => createAuthProvider({ apiKey: bad })).not.toThrow(/SECRET/);
      const provider = createAuthProvider({ token: () => bad });
      await expect(provider.credential('Admin')).rejects.toThrow(/auth\.token\(\)'s value/);
      await expect(provider.credential('Admin')).rejects.not.toThrow(/SECRET/);
    }
    // Latin-1, inner spaces (`Bearer x`) and surrounding whitespace are what fetch accepts; the
    // key is sent (and redacted) as fetch would send it, trimmed.
    for (const [given, sent] of [
      ['caf\u00e9-key', 'caf\u00e9-key'],
      ['Bearer abc', 'Bearer abc'],
      ['  key-from-a-file\r\n', 'key-from-a-file'],
    ]) {
      const auth = createAuthProvider({ apiKey: given! });
      expect(await auth.credential('Admin')).toBe(sent);
      expect(auth.secrets).toEqual([sent]);
    }
    // Whitespace fetch does not trim is refused rather than sent.
    expect(() => createAuthProvider({ apiKey: 'key\u3000' })).toThrow(/auth\.apiKey/);
  });
});
