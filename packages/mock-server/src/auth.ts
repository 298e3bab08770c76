import { errors as joseErrors, jwtVerify } from 'jose';
import type { ApiKeyGrant } from './types.js';

/** Who a request authenticated as, before its body is read. */
export interface Credential {
  /** Identifies the credential for rate limiting (one bucket per API key or JWT secret). */
  id: string;
  /** Sites the credential may act on; `null` for every site. */
  sites: ReadonlySet<string> | null;
  /** The JWT's `Username` claim, which must equal the body's `Username`; absent for API keys. */
  jwtUsername?: string;
}

/** Header names D3 uses (HTTP header names are case-insensitive). */
const apiKeyHeader = 'd3key';
const jwtHeader = 'd3jwt';

/** Checks `d3key` / `d3jwt` headers against configured keys and secrets. */
export interface Authenticator {
  /** The credential, or `null` when the headers carry none that is valid. */
  authenticate(headers: Headers): Promise<Credential | null>;
}

/**
 * Builds the credential check from the configured API keys (optionally bound to sites) and JWT
 * secrets. Throws a `TypeError` naming an empty key or secret.
 */
export function createAuthenticator(
  apiKeys: string[] | Record<string, ApiKeyGrant>,
  jwtSecrets: string[],
): Authenticator {
  const keys = new Map<string, Credential>();
  const entries: [string, ApiKeyGrant][] = Array.isArray(apiKeys)
    ? apiKeys.map((key) => [key, {}])
    : Object.entries(apiKeys);
  for (const [key, grant] of entries) {
    if (typeof key !== 'string' || key === '') {
      throw new TypeError('apiKeys: every API key must be a non-empty string');
    }
    keys.set(key, { id: `key:${key}`, sites: grant.sites ? new Set(grant.sites) : null });
  }
  const secrets = jwtSecrets.map((secret, index) => {
    if (typeof secret !== 'string' || secret === '') {
      throw new TypeError(`jwtSecrets[${index}] must be a non-empty string`);
    }
    return { id: `jwt:${index}`, key: new TextEncoder().encode(secret) };
  });

  async function verifyJwt(token: string): Promise<Credential | null> {
    for (const secret of secrets) {
      try {
        const { payload } = await jwtVerify(token, secret.key, { algorithms: ['HS256'] });
        const username = payload['Username'];
        if (typeof username !== 'string') return null;
        return { id: secret.id, sites: null, jwtUsername: username };
      } catch (error) {
        // Only a bad signature means "maybe another secret"; expiry or malformed tokens fail outright.
        if (!(error instanceof joseErrors.JWSSignatureVerificationFailed)) return null;
      }
    }
    return null;
  }

  return {
    async authenticate(headers) {
      const apiKey = headers.get(apiKeyHeader);
      if (apiKey !== null) return keys.get(apiKey) ?? null;
      const token = headers.get(jwtHeader);
      if (token !== null) return verifyJwt(token.trim());
      return null;
    },
  };
}

/** Whether an authenticated credential may act for this body's site and username. */
export function credentialAllows(credential: Credential, site: string, username: string): boolean {
  if (credential.sites !== null && !credential.sites.has(site)) return false;
  if (credential.jwtUsername !== undefined && credential.jwtUsername !== username) return false;
  return true;
}
