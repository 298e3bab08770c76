/**
 * `@d3soar/client/redis`: a rate-limit store in Redis, so that every process using the same Redis
 * and key draws on one budget, as D3 counts its limit per installation.
 *
 * The budget is a token bucket refilled at `requestsPerSecond` per second (holding half a
 * second's worth: see `bucketCapacity`), kept as one number: the time the bucket is next full enough to grant (GCRA, the
 * "generic cell rate algorithm", which is that bucket exactly). A fixed-window counter would let
 * two windows' worth through back to back (the end of one, the start of the next); the bucket
 * never lets more than its capacity plus `requestsPerSecond` through in any one-second span,
 * which is within D3's own bucket of `requestsPerSecond` tokens at that rate. The script runs atomically in Redis and reads the server's own clock
 * (`TIME`), so processes whose clocks differ still agree. rate-limiter-flexible, the library a
 * user would reach for, counts fixed windows (or leaky buckets that queue in one process); a
 * Lua script of a few lines keeps the property across processes.
 *
 * A 429 seen by any process sets a pause key that every grant checks first, so all processes
 * wait out the `Retry-After`, as Octokit's throttling does for GitHub.
 */
import { Redis } from 'ioredis';
import { bucketTiming, type RateBudget, type RateLimitStore } from '../rate-limit-store.js';

export type { RateBudget, RateLimitStore } from '../rate-limit-store.js';

/** Options of {@link createRedisRateLimitStore}. */
export interface RedisRateLimitStoreOptions {
  /** An ioredis client to use (the store never closes it). Give this or `url`. */
  redis?: Redis | undefined;
  /**
   * A `redis://` or `rediss://` URL; the store opens (and `close()` closes) its own connection.
   * Its password is treated as a secret: it appears in no message, log or error.
   */
  url?: string | undefined;
  /**
   * The budget's name in Redis. Default: derived from the client's base URL (its host and path,
   * never a credential), so clients of one D3 installation share a budget.
   */
  key?: string | undefined;
  /**
   * When Redis fails (unreachable, timed out): `'local'` (default) keeps the client working on a
   * limiter of its own process, with one warning and one line when sharing resumes; `'fail'`
   * fails the call with `D3RateLimitStoreError`, nothing sent.
   */
  onError?: 'local' | 'fail' | undefined;
  /** Limit for each Redis call, in milliseconds (default 250): a wait never hangs on Redis. */
  commandTimeoutMs?: number | undefined;
}

/** A Redis store: a {@link RateLimitStore} that can also be disposed with `await using`. */
export interface RedisRateLimitStore extends RateLimitStore, AsyncDisposable {}

/**
 * KEYS[1] the bucket (the time its next token is due), KEYS[2] the pause; ARGV[1] ms per token,
 * ARGV[2] how far ahead of now the next token may be due and still be granted ((capacity - 1) ×
 * ms per token). Returns 0 (granted) or the ms to wait.
 */
const TAKE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local paused = tonumber(redis.call('GET', KEYS[2]) or '0')
if paused > now then return math.ceil(paused - now) end
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local due = math.max(tonumber(redis.call('GET', KEYS[1]) or '0'), now)
if due - now > tolerance then return math.ceil(due - now - tolerance) end
redis.call('SET', KEYS[1], tostring(due + interval), 'PX', math.ceil(tolerance + interval) + 1000)
return 0
`;

/** KEYS[1] the pause; ARGV[1] ms. Extends the pause to now + ms unless it already lasts longer. */
const PAUSE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + t[2] / 1000
local untilMs = now + tonumber(ARGV[1])
local paused = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > paused then
  redis.call('SET', KEYS[1], tostring(untilMs), 'PX', math.ceil(tonumber(ARGV[1])) + 1000)
end
return 0
`;

type Scripted = Redis & {
  d3soarTake(bucket: string, pause: string, interval: number, tolerance: number): Promise<number>;
  d3soarPause(pause: string, ms: number): Promise<number>;
};

/**
 * Creates a Redis rate-limit store for `createD3Client({ rateLimit: { store } })`.
 * @throws {TypeError} when neither `redis` nor a `redis://`/`rediss://` `url` is given (the message
 *   never repeats the URL).
 */
export function createRedisRateLimitStore(
  options: RedisRateLimitStoreOptions = {},
): RedisRateLimitStore {
  // `unknown`: JavaScript callers may pass anything.
  const onError: unknown = options.onError ?? 'local';
  if (onError !== 'local' && onError !== 'fail') {
    throw new TypeError(`onError must be 'local' or 'fail', got ${String(onError)}`);
  }
  const timeoutMs = options.commandTimeoutMs ?? 250;
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    throw new TypeError('commandTimeoutMs must be a finite number > 0');
  }
  const owned = options.redis === undefined;
  const redis = (options.redis ?? connect(options.url, timeoutMs)) as Scripted;
  redis.defineCommand('d3soarTake', { numberOfKeys: 2, lua: TAKE });
  redis.defineCommand('d3soarPause', { numberOfKeys: 1, lua: PAUSE });
  const keys = (budget: RateBudget) => ({
    bucket: `${budget.key}:bucket`,
    pause: `${budget.key}:pause`,
  });
  let closed = false;
  let lastReconnect = -Infinity;
  /** Opens a connection that was lost, at most every 250 ms, while the store is in use. */
  const reconnecting = (): void => {
    if (!owned || closed || redis.status !== 'end') return;
    const now = performance.now();
    if (now - lastReconnect < RECONNECT_INTERVAL_MS) return;
    lastReconnect = now;
    // A failure is seen by the commands (they fail while disconnected); nothing to do here.
    redis.connect().catch(() => {});
  };

  const store: RedisRateLimitStore = {
    key: options.key,
    onError,
    async take(budget) {
      const { bucket, pause } = keys(budget);
      const { interval, tolerance } = bucketTiming(budget.requestsPerSecond);
      reconnecting();
      await ready(redis, timeoutMs);
      return await within(timeoutMs, redis.d3soarTake(bucket, pause, interval, tolerance));
    },
    async pause(budget, ms) {
      reconnecting();
      await ready(redis, timeoutMs);
      await within(timeoutMs, redis.d3soarPause(keys(budget).pause, Math.ceil(ms)));
    },
    async close() {
      if (closed || !owned) return;
      closed = true;
      // A connection that ended (Redis away) has nothing to close: disconnecting it anyway would
      // wait out ioredis's own timer for a socket that is gone.
      if (redis.status !== 'end') redis.disconnect();
      await Promise.resolve();
    },
    [Symbol.asyncDispose]() {
      return store.close();
    },
  };
  return store;
}

/** How often a store whose Redis is away tries to connect again (only while it is used). */
const RECONNECT_INTERVAL_MS = 250;

/** The store's own connection: fails fast while Redis is away, and never holds the process open. */
function connect(url: string | undefined, timeoutMs: number): Redis {
  if (typeof url !== 'string' || !/^rediss?:\/\//i.test(url)) {
    throw new TypeError(
      'createRedisRateLimitStore needs `redis` (an ioredis client) or `url` (redis:// or rediss://)',
    );
  }
  const redis = new Redis(url, {
    // Commands fail at once while disconnected instead of queueing: the client then limits
    // locally (or fails), rather than waiting on Redis.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    connectTimeout: Math.max(timeoutMs, 1000),
    commandTimeout: timeoutMs,
    // No reconnecting in the background: its timer would hold the process open for as long as
    // Redis is away. The store reconnects when it is used (see `reconnecting`).
    retryStrategy: () => null,
    lazyConnect: false,
  });
  // An idle store must not keep the process running: the socket and its timers are unref'd.
  redis.on('connect', () => {
    (redis as unknown as { stream?: { unref?: () => void } }).stream?.unref?.();
  });
  // Errors reach the caller through the commands; without a listener ioredis would print them
  // (and its messages can carry the address).
  redis.on('error', () => {});
  return redis;
}

/**
 * Waits (at most `ms`) for a connection that is being opened: commands are not queued while
 * disconnected, and a store just created is still connecting. One wait is shared by every call
 * made meanwhile.
 */
const opening = new WeakMap<Redis, Promise<void>>();
function ready(redis: Redis, ms: number): Promise<void> {
  if (redis.status === 'ready') return Promise.resolve();
  if (redis.status !== 'connecting' && redis.status !== 'connect' && redis.status !== 'wait') {
    // Away (reconnecting, or closed): the command fails at once, and the client decides.
    return Promise.resolve();
  }
  let wait = opening.get(redis);
  if (wait === undefined) {
    // Ends at `ready`, or at `end` (the attempt failed): the command then fails at once.
    wait = new Promise<void>((resolve) => {
      const settle = (): void => {
        redis.off('ready', settle);
        redis.off('end', settle);
        resolve();
      };
      redis.once('ready', settle);
      redis.once('end', settle);
    });
    opening.set(redis, wait);
    void wait.then(() => opening.delete(redis));
  }
  return within(ms, wait);
}

/**
 * `promise`, or a rejection after `ms`: every Redis call has its own limit. The timer keeps the
 * process running: a call is waiting on it (an idle store has no timer at all).
 */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new RedisTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes ioredis's own error on; the client reports only its kind
        reject(error);
      },
    );
  });
}

/** A Redis call that took longer than its limit. */
class RedisTimeout extends Error {
  override name = 'RedisTimeout';
  readonly code = 'ETIMEDOUT';
}
