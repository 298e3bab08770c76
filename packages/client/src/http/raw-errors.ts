// `client.raw` is openapi-fetch, which parses a JSON answer itself and throws the bare
// `SyntaxError` of `JSON.parse` when a 200 is not JSON (an HTML error page from a proxy, a cut-off
// body). The client promises typed errors, so each of raw's methods turns that one error into a
// `D3ResponseError`. Wrapping the methods, rather than checking every body in middleware, costs
// the answers that do parse nothing.
import type { Client } from 'openapi-fetch';

import { D3ResponseError } from '../errors.js';
import type { paths } from '../types.js';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

export function withTypedParseErrors(client: Client<paths>): Client<paths> {
  const wrapped = { ...client };
  for (const method of METHODS) {
    const call = client[method] as (...args: unknown[]) => Promise<unknown>;
    (wrapped as Record<string, unknown>)[method] = async (...args: unknown[]) => {
      try {
        return await call(...args);
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        const path = typeof args[0] === 'string' ? args[0] : 'the request';
        throw new D3ResponseError(`${path}: the answer is not JSON (${error.message})`, {
          command: path.replace(/^\/Command\//, ''),
          outcome: 'unknown',
          cause: error,
        });
      }
    };
  }
  return wrapped;
}
