/** Options of {@link normalizeBaseUrl}. */
export interface BaseUrlOptions {
  /** Accept plain `http://` to a non-loopback host (credentials would travel in clear text). */
  allowInsecureHttp?: boolean;
}

/**
 * Turns an installation base (`https://d3site.net/MainApp/VSOC`, with or without a trailing
 * slash, or already ending in `/api`) into the API root the command paths are appended to
 * (`https://d3site.net/MainApp/VSOC/api`). Refuses plain `http://` unless the host is loopback
 * or `allowInsecureHttp` is set, and refuses URLs with credentials, a query or a fragment.
 */
export function normalizeBaseUrl(input: string, options: BaseUrlOptions = {}): string {
  let url: URL;
  try {
    url = new URL(input);
  } catch {
    throw new TypeError('baseUrl must be an absolute URL, e.g. https://d3site.net/MainApp/VSOC');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`baseUrl must use https:// (got ${url.protocol}//)`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new TypeError('baseUrl must not contain credentials (use auth), a query or a fragment');
  }
  if (url.protocol === 'http:' && !options.allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `baseUrl: http:// to ${url.hostname} would send credentials in clear text; use https:// or allowInsecureHttp: true`,
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  const apiRoot = /\/api$/i.test(path) ? path : `${path}/api`;
  return `${url.origin}${apiRoot}`;
}

/**
 * Loopback hosts: literal loopback addresses and the name `localhost`. Not `*.localhost`: Node
 * does not pin those to 127.0.0.1 but asks the system resolver, which may ask DNS, so a key sent
 * there in clear text could leave the machine. A string check is exact here because WHATWG URL
 * parsing has already canonicalised the host (`127.1`, `0x7f.0.0.1` → `127.0.0.1`; `[0:0::1]` →
 * `[::1]`; `[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`).
 */
function isLoopbackHost(hostname: string): boolean {
  // localhost, 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped into IPv6.
  return /^(localhost|127\.\d+\.\d+\.\d+|\[::1\]|\[::ffff:7f[\da-f]{2}:[\da-f]{1,4}\])$/i.test(
    hostname,
  );
}
