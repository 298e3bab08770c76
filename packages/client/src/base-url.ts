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
    throw new TypeError(`baseUrl must be an absolute URL such as https://d3site.net/MainApp/VSOC`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new TypeError(`baseUrl must use https:// (got ${url.protocol}//)`);
  }
  if (url.username || url.password) {
    throw new TypeError('baseUrl must not contain credentials; pass them through the auth option');
  }
  if (url.search || url.hash) {
    throw new TypeError('baseUrl must not contain a query string or a fragment');
  }
  if (url.protocol === 'http:' && !options.allowInsecureHttp && !isLoopbackHost(url.hostname)) {
    throw new TypeError(
      `baseUrl: plain http:// to ${url.hostname} would send credentials unencrypted; ` +
        'use https:// or set allowInsecureHttp: true',
    );
  }
  const path = url.pathname.replace(/\/+$/, '');
  const apiRoot = /\/api$/i.test(path) ? path : `${path}/api`;
  return `${url.origin}${apiRoot}`;
}

/**
 * Loopback hosts. A string check is exact here because WHATWG URL parsing has already
 * canonicalised the host (`127.1`, `0x7f.0.0.1` → `127.0.0.1`; `[0:0::1]` → `[::1]`;
 * `[::ffff:127.0.0.1]` → `[::ffff:7f00:1]`).
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase();
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(host) ||
    host === '[::1]' ||
    /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(host)
  );
}
