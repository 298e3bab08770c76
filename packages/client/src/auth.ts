import { credentialHeaders } from '@d3soar/openapi/contract';
import { CompactSign } from 'jose';
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
  /**
   * Called before every attempt; returns the token to send. When it throws or rejects, the call
   * fails with a `D3AuthError` (nothing sent, not retried) that names only the error's `name` and
   * `code`: its message and `cause` are left out, since they may quote the token.
   */
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
  /** Whether `credential` needs the envelope's `Username` (a JWT carries it as a claim). */
  readonly needsUsername: boolean;
  /** The header value for a request whose envelope names `username`. */
  credential(username: string | undefined): string | Promise<string>;
}

const HEADER_TOKEN = /^[!#$%&'*+.^`|~\w-]+$/;
// What undici sends in a header value once `fetch` has trimmed the ends: tab, visible ASCII and
// Latin-1; no line breaks or other control characters, and nothing beyond U+00FF.
const HEADER_VALUE = /^[\t -~\x80-\xff]+$/;

/** Returns `name` when it is a valid HTTP header name, else throws a TypeError naming `label`. */
export function checkHeaderName(label: string, name: unknown): string {
  if (typeof name === 'string' && HEADER_TOKEN.test(name)) return name;
  throw new TypeError(`${label} must be a valid HTTP header name, got ${JSON.stringify(name)}`);
}

/**
 * Returns `value` as `fetch` sends it, without the spaces, tabs and line breaks around it, when
 * that can travel as an HTTP header value; else throws a TypeError naming `label`. The value
 * itself is never echoed: it is usually a secret.
 */
export function checkHeaderValue(label: string, value: unknown): string {
  // Only HTTP whitespace is trimmed, as `fetch` does (`trim()` would also drop U+3000 and the
  // like, which `fetch` then refuses).
  const sent = typeof value === 'string' ? value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '') : '';
  if (HEADER_VALUE.test(sent)) return sent;
  throw new TypeError(
    `${label} must be a non-empty string of Latin-1 characters without line breaks`,
  );
}

const headerNameOf = (auth: { headerName?: string }, fallback: string): string =>
  checkHeaderName('auth.headerName', auth.headerName ?? fallback);

/**
 * Says that the token provider failed, and nothing else: its error's message, code, name, cause
 * and any other property may quote the token (a vault's "rejected token abc…", a code set to the
 * token itself), and the redactor cannot know that value. Only whether it threw an Error is told.
 */
function describeProviderFailure(error: unknown): string {
  const what = error instanceof Error ? 'an error' : `a ${typeof error}`;
  return `auth.token() threw ${what}; it is not shown, as it may quote the token`;
}

/** Checks `auth` and builds the provider. Error messages never echo a secret. */
export function createAuthProvider(auth: D3Auth): AuthProvider {
  // `Object(auth)`: a missing or primitive `auth` has none of the three and gets the same message.
  const kinds = (['apiKey', 'jwtSecret', 'token'] as const).filter((k) => k in Object(auth));
  if (kinds.length !== 1) {
    throw new TypeError(
      `auth must have exactly one of apiKey, jwtSecret or token; got ${kinds.join(', ') || 'none'}`,
    );
  }
  if ('apiKey' in auth) {
    const key = checkHeaderValue('auth.apiKey', auth.apiKey);
    return {
      headerName: headerNameOf(auth, credentialHeaders.d3key),
      secrets: [key],
      needsUsername: false,
      credential: () => key,
    };
  }
  if ('jwtSecret' in auth) return jwtProvider(auth);
  if (typeof auth.token !== 'function') {
    throw new TypeError('auth.token must be a function');
  }
  const provide = auth.token;
  return {
    headerName: headerNameOf(auth, credentialHeaders.d3jwt),
    secrets: [],
    needsUsername: false,
    async credential() {
      let token: unknown;
      try {
        token = await provide();
      } catch (error) {
        // eslint-disable-next-line preserve-caught-error -- the cause may quote the token: only its name and code are kept
        throw new Error(describeProviderFailure(error));
      }
      return checkHeaderValue("auth.token()'s value", token);
    },
  };
}

function jwtProvider(auth: JwtSecretAuth): AuthProvider {
  if (!auth.jwtSecret || typeof auth.jwtSecret !== 'string') {
    throw new TypeError('auth.jwtSecret must be a non-empty string');
  }
  const lifetime = checkNumber(
    'auth.expiresInSeconds',
    auth.expiresInSeconds ?? 60,
    'integer >= 1',
  );
  const utf8 = new TextEncoder();
  // Importing the key once keeps per-request signing to a single HMAC.
  const key = crypto.subtle.importKey(
    'raw',
    utf8.encode(auth.jwtSecret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return {
    headerName: headerNameOf(auth, credentialHeaders.d3jwt),
    secrets: [auth.jwtSecret],
    needsUsername: true,
    async credential(username) {
      if (!username) {
        throw new TypeError('JWT auth needs a Username in the body');
      }
      const now = Math.floor(Date.now() / 1000);
      // A JWS over the claims: jose's JWT builder would add claim checks this fixed set never needs.
      const claims = { Username: username, iat: now, exp: now + lifetime };
      return new CompactSign(utf8.encode(JSON.stringify(claims)))
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .sign(await key);
    },
  };
}
