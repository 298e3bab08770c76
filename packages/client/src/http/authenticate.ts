/**
 * Puts the credential on each attempt. A wrapper around the `fetch` it is given rather than
 * openapi-fetch middleware, because it must run once per attempt: a JWT is minted for every
 * attempt (it expires quickly), and middleware runs once per call, above the retries.
 */
import type { AuthProvider } from '../auth.js';
import { D3AuthError } from '../errors.js';
import type { Redactor } from '../redact.js';
import { describeCause } from '../retry.js';
import type { Call, CallErrors, Layer } from './call.js';

/** Options of {@link authLayer}. */
export interface AuthLayerOptions {
  auth: AuthProvider;
  /** Learns the tokens a provider hands out, so they can be scrubbed. */
  redactor: Redactor;
  errors: CallErrors;
}

/** Sets the auth header (it wins over any other header of that name); a failure sends nothing. */
export function authLayer({ auth, redactor, errors }: AuthLayerOptions): Layer {
  const fail = (call: Call, error: unknown) =>
    errors.build(
      call,
      D3AuthError,
      `could not obtain credentials: ${describeCause(error)}`,
      'not_sent',
      error,
    );
  return (next) => (request, call) => {
    let credential: string | Promise<string>;
    try {
      credential = auth.credential(auth.needsUsername ? usernameOf(call) : undefined);
    } catch (error) {
      return Promise.reject(fail(call, error));
    }
    // An API key is at hand: no promise, no extra turn of the event loop.
    if (typeof credential === 'string') {
      request.headers.set(auth.headerName, credential);
      return next(request, call);
    }
    return credential.then(
      (token) => {
        redactor.remember(token);
        request.headers.set(auth.headerName, token);
        return next(request, call);
      },
      (error: unknown) => Promise.reject(fail(call, error)),
    );
  };
}

/**
 * The envelope's `Username`. The typed methods know it; for `client.raw` it is read from the
 * body, which happens only for JWT auth (the token must carry the name).
 */
function usernameOf(call: Call): string | undefined {
  if (call.username === undefined && call.body !== undefined) {
    try {
      const username = (JSON.parse(call.body) as { Username?: unknown } | null)?.Username;
      if (typeof username === 'string') call.username = username;
    } catch {
      // Not JSON: no Username to put in a JWT; the auth provider says so.
    }
  }
  return call.username;
}
