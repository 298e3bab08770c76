import createClient, { type Client } from 'openapi-fetch';
import { normalizeBaseUrl } from './base-url.js';
import type { FetchLike } from './http/pipeline.js';
import type { paths } from './types.js';

/** The openapi-fetch client typed with the D3 command paths. */
export type D3RawClient = Client<paths>;

/** Options of {@link createRawClient}. */
export interface RawClientOptions {
  /**
   * The installation's base, e.g. `https://d3site.net/MainApp/VSOC` (a trailing slash or a
   * trailing `/api` is fine). Plain `http://` is refused unless the host is loopback.
   */
  baseUrl: string;
  /** The `fetch` to call (default: the global `fetch`). A mock server's in-process `fetch` fits. */
  fetch?: FetchLike;
  /** Headers sent with every request, e.g. `{ d3key: '...' }`. */
  headers?: Record<string, string>;
  /** Accept plain `http://` to a non-loopback host. */
  allowInsecureHttp?: boolean;
}

/**
 * A thin, fully typed openapi-fetch client for the three commands: no validation, retries or
 * error mapping (use `createD3Client` for those). Paths are relative to the API root:
 * `raw.POST('/Command/SetEventTechniques', { body })`. Redirects are not followed (they would
 * take the headers, and so the key, to another host): a 3xx comes back as the `response`.
 */
export function createRawClient(options: RawClientOptions): D3RawClient {
  return createClient<paths>({
    redirect: 'manual',
    baseUrl: normalizeBaseUrl(options.baseUrl, options),
    // Left out when not given: openapi-fetch then uses the global fetch and no headers.
    ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    ...(options.headers === undefined ? {} : { headers: options.headers }),
  });
}
