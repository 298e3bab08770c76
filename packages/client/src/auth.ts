import { SignJWT } from 'jose';
import { checkNumber } from './check.js';

/** Authenticate with an API key sent as a header. */
export interface ApiKeyAuth {
  /** The key shown in D3's UI. */
  apiKey: string;
  /** The header carrying it (default `d3key`; D3 shows the name next to the key). */
  headerName?: string;
}

/** Authenticate with a JSON web token minted for every request from the key's secret. */
export interface JwtSecretAuth {
  /** The secret D3 holds for the key; tokens are HS256-signed with it. */
  jwtSecret: string;
  /** Lifetime of each token in seconds (default 60: short, since one is minted per attempt). */
  expiresInSeconds?: number;
  /** The header carrying the token (default `d3jwt`). */
  headerName?: string;
}

/** Authenticate with tokens from your own source (a vault, a token service). */
export interface TokenAuth {
  /** Called before every attempt; returns the token to send. */
  token: () => string | Promise<string>;
  /** The header carrying the token (default `d3jwt`). */
  headerName?: string;
}

/** How the client authenticates: exactly one of an API key, a JWT secret or a token provider. */
export type D3Auth = ApiKeyAuth | JwtSecretAuth | TokenAuth;

/** Produces the auth header for one attempt. */
export interface AuthProvider {
  /** The header name the credential goes into. */
  readonly headerName: string;
  /** Static secrets to scrub from errors and logs. */
  readonly secrets: readonly string[];
  /** The header value for a request whose envelope names `username`. */
  credential(username: string | undefined): string | Promise<string>;
}

const HEADER_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headerNameOf(auth: { headerName?: string }, fallback: string): string {
  const name = auth.headerName ?? fallback;
  if (!HEADER_TOKEN.test(name)) {
    throw new TypeError(
      `auth.headerName must be a valid HTTP header name, got ${JSON.stringify(name)}`,
    );
  }
  return name;
}

/** Checks `auth` and builds the provider. Error messages never echo a secret. */
export function createAuthProvider(auth: D3Auth): AuthProvider {
  if (auth === null || typeof auth !== 'object') {
    throw new TypeError('auth must be { apiKey }, { jwtSecret } or { token }');
  }
  const kinds = (['apiKey', 'jwtSecret', 'token'] as const).filter((k) => k in auth);
  if (kinds.length !== 1) {
    throw new TypeError(
      `auth must have exactly one of apiKey, jwtSecret or token; got ${kinds.join(', ') || 'none'}`,
    );
  }
  if ('apiKey' in auth) {
    if (typeof auth.apiKey !== 'string' || auth.apiKey.length === 0) {
      throw new TypeError('auth.apiKey must be a non-empty string');
    }
    const key = auth.apiKey;
    return { headerName: headerNameOf(auth, 'd3key'), secrets: [key], credential: () => key };
  }
  if ('jwtSecret' in auth) return jwtProvider(auth);
  if (typeof auth.token !== 'function') {
    throw new TypeError('auth.token must be a function returning the token (or a promise of it)');
  }
  const provide = auth.token;
  return {
    headerName: headerNameOf(auth, 'd3jwt'),
    secrets: [],
    async credential() {
      const token = await provide();
      if (typeof token !== 'string' || token.length === 0) {
        throw new TypeError('auth.token() must return a non-empty string');
      }
      return token;
    },
  };
}

function jwtProvider(auth: JwtSecretAuth): AuthProvider {
  if (typeof auth.jwtSecret !== 'string' || auth.jwtSecret.length === 0) {
    throw new TypeError('auth.jwtSecret must be a non-empty string');
  }
  const lifetime = checkNumber('auth.expiresInSeconds', auth.expiresInSeconds ?? 60, 'integer ≥ 1');
  // Importing the key once keeps per-request signing to a single HMAC.
  const key = crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(auth.jwtSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return {
    headerName: headerNameOf(auth, 'd3jwt'),
    secrets: [auth.jwtSecret],
    async credential(username) {
      if (typeof username !== 'string' || username.length === 0) {
        throw new TypeError('JWT auth needs a Username in the request body');
      }
      const now = Math.floor(Date.now() / 1000);
      return new SignJWT({ Username: username })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(await key);
    },
  };
}
