import { describe, expect, it } from 'vitest';
import { normalizeBaseUrl } from './base-url.js';

describe('normalizeBaseUrl', () => {
  it('appends /api to an installation base, tolerating slashes and an existing /api', () => {
    const cases: [string, string][] = [
      ['https://d3site.net/MainApp/VSOC', 'https://d3site.net/MainApp/VSOC/api'],
      ['https://d3site.net/MainApp/VSOC/', 'https://d3site.net/MainApp/VSOC/api'],
      ['https://d3site.net/MainApp/VSOC/api', 'https://d3site.net/MainApp/VSOC/api'],
      ['https://d3site.net/MainApp/VSOC/api/', 'https://d3site.net/MainApp/VSOC/api'],
      ['https://d3site.net/ce_site/VSOC//', 'https://d3site.net/ce_site/VSOC/api'],
      ['https://D3SITE.net:8443/x/VSOC/API', 'https://d3site.net:8443/x/VSOC/API'],
      ['https://d3site.net', 'https://d3site.net/api'],
    ];
    for (const [input, expected] of cases) expect(normalizeBaseUrl(input)).toBe(expected);
  });

  it('accepts plain http only to loopback hosts, however they are spelled', () => {
    for (const host of ['127.0.0.1', '127.1', 'localhost', 'LOCALHOST', '[::1]', '[0:0::1]']) {
      expect(normalizeBaseUrl(`http://${host}:4010/MainApp/VSOC`)).toMatch(/^http:\/\/.+\/api$/);
    }
    expect(normalizeBaseUrl('http://[::ffff:127.0.0.1]/x')).toBe('http://[::ffff:7f00:1]/x/api');
  });

  it('refuses plain http to other hosts unless allowInsecureHttp is set', () => {
    // `*.localhost` is resolved by the system resolver, which may ask DNS: not loopback for sure.
    for (const host of [
      'd3site.net',
      '10.0.0.5',
      '128.0.0.1',
      'localhost.evil.com',
      'anything.localhost',
      'api.localhost',
    ]) {
      expect(() => normalizeBaseUrl(`http://${host}/MainApp/VSOC`)).toThrow(/allowInsecureHttp/);
    }
    expect(normalizeBaseUrl('http://10.0.0.5/VSOC', { allowInsecureHttp: true })).toBe(
      'http://10.0.0.5/VSOC/api',
    );
  });

  it('refuses URLs that are relative, not http(s), or carry credentials, a query or a fragment', () => {
    expect(() => normalizeBaseUrl('/MainApp/VSOC')).toThrow(/absolute URL/);
    expect(() => normalizeBaseUrl('ftp://d3site.net/x')).toThrow(/https/);
    expect(() => normalizeBaseUrl('https://user:pw@d3site.net/x')).toThrow(/credentials/);
    expect(() => normalizeBaseUrl('https://d3site.net/x?key=1')).toThrow(/query/);
    expect(() => normalizeBaseUrl('https://d3site.net/x#top')).toThrow(/fragment/);
  });
});
