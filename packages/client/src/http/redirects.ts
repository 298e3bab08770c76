/**
 * Refuses redirects. A wrapper around the `fetch` it is given rather than openapi-fetch
 * middleware, so that a redirect is an error before the retry loop could re-send the request.
 * Requests ask `fetch` not to follow (`redirect: 'manual'`): a redirect would carry the
 * credential and the body to whatever host the Location names (https → http included).
 */
import { D3ResponseError } from '../errors.js';
import type { CallErrors, Layer } from './call.js';

/** Turns a 3xx (or an opaque redirect) into a `D3ResponseError` naming the target without secrets. */
export function redirectLayer(errors: CallErrors): Layer {
  return (next) => (request, call) =>
    next(request, call).then((response) => {
      const { status } = response;
      if ((status < 300 || status > 399) && response.type !== 'opaqueredirect') return response;
      // Discarded: its attempt is over, and reading the body frees the connection.
      call.attempt?.end();
      response.text().catch(() => {});
      // The outcome is unknown for every command: the server read the request, and a server may
      // run a POST before redirecting (POST/redirect/GET), so a redirect does not prove the
      // command was refused. Not retried either: the same request gets the same redirect.
      throw errors.build(
        call,
        D3ResponseError,
        {
          reason: `D3 answered with a redirect (${status || 'opaque'})${redirectTarget(response.headers, request.url)}, not followed`,
          advice: 'check baseUrl',
        },
        'unknown',
        undefined,
        { status },
      );
    });
}

/**
 * ` to <scheme>//<host><path>` of a redirect's Location, so the caller can fix `baseUrl`; the
 * user info and query are left out, since they may hold a credential. Empty when unreadable.
 */
function redirectTarget(headers: Headers, base: string): string {
  const location = headers.get('location');
  if (!location) return '';
  try {
    const { protocol, host, pathname } = new URL(location, base);
    return ` to ${protocol}//${host}${pathname}`;
  } catch {
    return '';
  }
}
