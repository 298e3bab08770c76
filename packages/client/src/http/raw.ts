/**
 * `client.raw`: the openapi-fetch client's methods, each call run through `Api.run` so that the
 * answer's body stays under the attempt's time limit and the caller's abort while openapi-fetch
 * reads it, exactly as for the typed methods. openapi-fetch parses a JSON answer itself and
 * throws the bare `SyntaxError` of `JSON.parse` when a 200 is not JSON; `Api.run` turns that one
 * into a `D3ResponseError`, which costs the answers that do parse nothing.
 */
import type { Client } from 'openapi-fetch';
import type { paths } from '../types.js';
import type { Api, RunMode } from './api.js';

const METHODS = ['GET', 'PUT', 'POST', 'DELETE', 'OPTIONS', 'HEAD', 'PATCH', 'TRACE'] as const;

/** A raw call: openapi-fetch parses the body, now or (as a stream) later. */
const PARSED: RunMode = { keepOpen: false, parsedJson: true };
const STREAMED: RunMode = { keepOpen: true, parsedJson: true };

/** The per-request options of a raw call, as far as this wrapper looks at them. */
interface RawInit {
  fetch?: unknown;
  parseAs?: string;
}

/** The raw client of `api`: the same methods, through the pipeline, with typed parse errors. */
export function rawClient(api: Api): Client<paths> {
  const { client } = api;
  const wrapped = { ...client };
  for (const method of METHODS) {
    const call = client[method] as (path: unknown, init?: RawInit) => Promise<unknown>;
    (wrapped as Record<string, unknown>)[method] = (path: unknown, init?: RawInit) =>
      api.run(
        // A `fetch` of the caller's own is theirs to use, past the pipeline as before.
        (scope) => call(path, init?.fetch ? init : { ...init, fetch: scope.fetch }),
        undefined,
        init?.parseAs === 'stream' ? STREAMED : PARSED,
      );
  }
  return wrapped;
}
