import type { D3Client } from '@d3soar/client';
import type { MockD3 } from '@d3soar/mock-server';
import { CliUsageError } from './errors.js';

/** Connection flags every command accepts; each falls back to an environment variable. */
export interface ConnectionFlags {
  /** `--base-url` / `D3_BASE_URL`: the installation's base, e.g. `https://d3.example.com/MainApp/VSOC`. */
  baseUrl?: string;
  /** `--username` / `D3_USERNAME`: the D3 account the commands run as. */
  username?: string;
  /** `--site` / `D3_SITE`: the D3 site the commands run on. */
  site?: string;
  /** `--api-key` / `D3_API_KEY`: sent in the `d3key` header. */
  apiKey?: string;
  /** `--jwt-secret` / `D3_JWT_SECRET`: signs a short-lived HS256 token per request (`d3jwt`). */
  jwtSecret?: string;
  /** `--allow-insecure-http`: permit plain `http://` to a host that is not loopback. */
  allowInsecureHttp?: boolean;
  /** `--redis-url` / `D3_REDIS_URL`: share the rate budget with other processes through Redis. */
  redisUrl?: string;
}

/** The environment variables the CLI reads. */
export const envNames = {
  baseUrl: 'D3_BASE_URL',
  username: 'D3_USERNAME',
  site: 'D3_SITE',
  apiKey: 'D3_API_KEY',
  jwtSecret: 'D3_JWT_SECRET',
  redisUrl: 'D3_REDIS_URL',
} as const;

/** The user the CLI acts as against the embedded mock when none is given. */
export const MOCK_USERNAME = 'Admin';

/** Credentials for a real D3 (or a mock listening on a port). */
export type Auth = { apiKey: string } | { jwtSecret: string };

/** Where commands go: the embedded in-process mock, or a D3 at a base URL. */
export type Target =
  | { kind: 'mock'; username: string; site?: string }
  | {
      kind: 'remote';
      baseUrl: string;
      username: string;
      site: string;
      auth: Auth;
      allowInsecureHttp: boolean;
      /** Where the rate budget shared with other processes is kept (its password is a secret). */
      redisUrl?: string;
    };

type Env = Record<string, string | undefined>;

/** A setting from its flag, else its environment variable; blank counts as unset. */
function setting(flags: ConnectionFlags, env: Env, key: keyof typeof envNames): string | undefined {
  const value = flags[key] ?? env[envNames[key]];
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** Whether the command runs against the embedded mock: no base URL from the flag or environment. */
export const targetsEmbeddedMock = (flags: ConnectionFlags, env: Env = process.env): boolean =>
  setting(flags, env, 'baseUrl') === undefined;

/**
 * Decides the target from flags, then environment. Without a base URL the embedded mock serves, so
 * every command works on a fresh machine; with one, username, site and exactly one credential are
 * required, because a half-configured call would only fail later with a vaguer 401.
 */
export function resolveTarget(flags: ConnectionFlags, env: Env = process.env): Target {
  const pick = (key: keyof typeof envNames): string | undefined => setting(flags, env, key);
  const baseUrl = pick('baseUrl');
  const username = pick('username');
  const site = pick('site');
  if (baseUrl === undefined) {
    return { kind: 'mock', username: username ?? MOCK_USERNAME, ...(site ? { site } : {}) };
  }
  const missing: string[] = [];
  if (username === undefined) missing.push(`--username or ${envNames.username}`);
  if (site === undefined) missing.push(`--site or ${envNames.site}`);
  // A flag outranks the environment as a whole, so `--jwt-secret` works with D3_API_KEY exported.
  const apiKey = flags.apiKey ?? (flags.jwtSecret ? undefined : pick('apiKey'));
  const jwtSecret = flags.jwtSecret ?? (flags.apiKey ? undefined : pick('jwtSecret'));
  if (apiKey !== undefined && jwtSecret !== undefined) {
    throw new CliUsageError(
      `both an API key and a JWT secret are set: set only one of ${envNames.apiKey} and ${envNames.jwtSecret} (or pass --api-key or --jwt-secret)`,
    );
  }
  if (apiKey === undefined && jwtSecret === undefined) {
    missing.push(`--api-key/${envNames.apiKey} or --jwt-secret/${envNames.jwtSecret}`);
  }
  if (missing.length > 0 || username === undefined || site === undefined) {
    throw new CliUsageError(
      `${flags.baseUrl?.trim() ? '--base-url is given' : `${envNames.baseUrl} is set`}, so these are needed too: ${missing.join('; ')}`,
    );
  }
  return {
    kind: 'remote',
    baseUrl,
    username,
    site,
    auth: apiKey !== undefined ? { apiKey } : { jwtSecret: jwtSecret ?? '' },
    allowInsecureHttp: flags.allowInsecureHttp ?? false,
    ...redisUrlOf(pick('redisUrl')),
  };
}

/** A Redis URL, checked for its scheme only: the message never repeats it (it may hold a password). */
function redisUrlOf(url: string | undefined): { redisUrl?: string } {
  if (url === undefined) return {};
  if (!/^rediss?:\/\//i.test(url)) {
    throw new CliUsageError(`--redis-url/${envNames.redisUrl} must be a redis:// or rediss:// URL`);
  }
  return { redisUrl: url };
}

/** An open connection: the client, and the embedded mock when it serves. */
export interface Connection {
  client: D3Client;
  /** The embedded mock (present only for the mock target), for previews and the demo's narration. */
  mock?: MockD3;
  /**
   * Where the commands go, for the output header (never includes a credential). `baseUrl` is
   * absent for the embedded mock: its requests never leave the process.
   */
  describe: { kind: Target['kind']; baseUrl?: string; username: string; site: string };
  /** Releases the mock and anything else the connection holds. */
  close(): Promise<void>;
}

/** Options of {@link connect}. */
export interface ConnectOptions {
  /**
   * Print the client's log lines (redacted by the client) on stderr. Off by default: the reports
   * carry their own warnings (e.g. unpaired techniques), worded for the CLI.
   */
  verbose?: boolean;
}

/**
 * The client needs a base URL even for the in-process mock, whose `fetch` routes on the path only;
 * the reserved `.invalid` host makes clear that nothing goes over the network.
 */
const IN_PROCESS_HOST = 'https://d3.mock.invalid';

/** Opens a client against the target; the embedded mock is started in-process when it is the target. */
export async function connect(target: Target, options: ConnectOptions = {}): Promise<Connection> {
  // Loaded on demand: dry runs and input errors never need the client or the mock, and loading
  // them costs a noticeable part of a second at start-up.
  const { createD3Client } = await import('@d3soar/client');
  const log =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (!options.verbose) return;
      process.stderr.write(`${level}: ${message}${fields ? ` ${JSON.stringify(fields)}` : ''}\n`);
    };
  const logger = { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };

  if (target.kind === 'mock') {
    const { createMockD3, mockDefaults } = await import('@d3soar/mock-server');
    const mock = createMockD3();
    const site = target.site ?? mock.state.sites[0] ?? 'Security Operations';
    const client = createD3Client({
      baseUrl: `${IN_PROCESS_HOST}/${mockDefaults.namespace}`,
      username: target.username,
      site,
      auth: { apiKey: mockDefaults.apiKey },
      fetch: mock.fetch,
      logger,
    });
    return {
      client,
      mock,
      describe: { kind: 'mock', username: target.username, site },
      close: () => mock.close(),
    };
  }

  // Loaded only when asked for: it brings the Redis client.
  const store =
    target.redisUrl === undefined
      ? undefined
      : (await import('@d3soar/client/redis')).createRedisRateLimitStore({ url: target.redisUrl });
  let client: D3Client;
  try {
    client = createD3Client({
      baseUrl: target.baseUrl,
      username: target.username,
      site: target.site,
      auth: target.auth,
      logger,
      allowInsecureHttp: target.allowInsecureHttp,
      ...(store ? { rateLimit: { store } } : {}),
    });
  } catch (error) {
    await store?.close();
    // The client checks its options at once (URL shape, plain http, empty credentials); those
    // are configuration mistakes, so report them as such, in the CLI's own vocabulary.
    const message = error instanceof Error ? error.message : String(error);
    throw new CliUsageError(
      `invalid configuration (--base-url/${envNames.baseUrl}, credentials): ${message.replace(
        /\b(?:set )?allowInsecureHttp(?:: true)?/g,
        '--allow-insecure-http',
      )}`,
    );
  }
  return {
    client,
    describe: {
      kind: 'remote',
      baseUrl: target.baseUrl,
      username: target.username,
      site: target.site,
    },
    close: () => client.close(),
  };
}
