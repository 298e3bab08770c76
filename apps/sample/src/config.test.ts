import { describe, expect, it } from 'vitest';
import { MOCK_USERNAME, resolveTarget } from './config.js';
import { CliUsageError } from './errors.js';

const remote = {
  D3_BASE_URL: 'https://d3.example.com/MainApp/VSOC',
  D3_USERNAME: 'alice',
  D3_SITE: 'SOC',
};

describe('resolveTarget', () => {
  it('uses the embedded mock when no base URL is configured', () => {
    expect(resolveTarget({}, {})).toEqual({ kind: 'mock', username: MOCK_USERNAME });
    expect(resolveTarget({ site: 'Managed Detection' }, { D3_USERNAME: 'bob' })).toEqual({
      kind: 'mock',
      username: 'bob',
      site: 'Managed Detection',
    });
  });

  it('reads a remote target from the environment', () => {
    expect(resolveTarget({}, { ...remote, D3_API_KEY: 'k' })).toEqual({
      kind: 'remote',
      baseUrl: remote.D3_BASE_URL,
      username: 'alice',
      site: 'SOC',
      auth: { apiKey: 'k' },
      allowInsecureHttp: false,
    });
  });

  it('lets flags win over the environment, a credential flag included', () => {
    const target = resolveTarget(
      { site: 'Other', jwtSecret: 's' },
      { ...remote, D3_API_KEY: 'from-env' },
    );
    expect(target).toMatchObject({ kind: 'remote', site: 'Other', auth: { jwtSecret: 's' } });
  });

  it('treats blank values as unset', () => {
    expect(resolveTarget({}, { D3_BASE_URL: '  ' })).toEqual({
      kind: 'mock',
      username: MOCK_USERNAME,
    });
  });

  it('names every missing setting of a remote target at once', () => {
    expect(() => resolveTarget({}, { D3_BASE_URL: remote.D3_BASE_URL })).toThrow(
      /D3_USERNAME.*D3_SITE.*D3_API_KEY.*D3_JWT_SECRET/,
    );
  });

  it('says where the base URL came from: the flag as typed, or the environment variable', () => {
    expect(() => resolveTarget({ baseUrl: remote.D3_BASE_URL }, {})).toThrow(
      /^--base-url is given, so/,
    );
    expect(() => resolveTarget({}, { D3_BASE_URL: remote.D3_BASE_URL })).toThrow(
      /^D3_BASE_URL is set, so/,
    );
  });

  it('refuses an API key and a JWT secret from the environment together, without echoing them', () => {
    const run = () =>
      resolveTarget({}, { ...remote, D3_API_KEY: 'key-123', D3_JWT_SECRET: 'sec-456' });
    expect(run).toThrow(CliUsageError);
    try {
      run();
    } catch (error) {
      expect(String(error)).not.toMatch(/key-123|sec-456/);
    }
  });
});
