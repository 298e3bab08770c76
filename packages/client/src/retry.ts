import { checkNumber } from './check.js';
import type { CommandName } from './types.js';

/** Retry settings (the `retry` option of `createD3Client`). */
export interface RetryOptions {
  /** Total attempts per call, the first one included (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** Backoff base: attempt n waits a random time in [0, baseDelayMs × 2^(n-1)] (default 250). */
  baseDelayMs?: number;
  /** Upper bound of one backoff wait (default 8 000). */
  maxDelayMs?: number;
  /**
   * Longest wait a 429's `Retry-After` may ask for (default 60 000). When the server asks for
   * more, the call gives up at once with a `D3RateLimitError` carrying `retryAfterMs`, rather than
   * retrying early into another 429.
   */
  maxRetryAfterMs?: number;
}

/** {@link RetryOptions} with every default filled in. */
export type RetryPolicy = Required<RetryOptions>;

/** The defaults the issue specifies. */
export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
};

/** Fills defaults and checks the values; `false` means one attempt only. */
export function resolveRetryPolicy(options: RetryOptions | false | undefined): RetryPolicy {
  const given: RetryOptions = options === false ? { maxAttempts: 1 } : (options ?? {});
  const policy = { ...DEFAULT_RETRY };
  for (const key of Object.keys(DEFAULT_RETRY) as (keyof RetryPolicy)[]) {
    policy[key] = checkNumber(
      `retry.${key}`,
      given[key] ?? policy[key],
      key === 'maxAttempts' ? 'integer >= 1' : 'number >= 0',
    );
  }
  return policy;
}

/**
 * Commands that are safe to send twice: setting the same techniques or upserting the same
 * artifacts again leaves the same state. TriggerIncidentExternalAction runs playbooks and D3 has
 * no idempotency key, so it is deliberately absent.
 */
const IDEMPOTENT_COMMANDS: ReadonlySet<string> = new Set<CommandName>([
  'SetEventTechniques',
  'SaveArtifactForIncident',
]);

/** Why an attempt did not produce a final answer. */
export type AttemptFailure =
  | { kind: 'status'; status: number }
  | { kind: 'timeout' }
  /** `reachedServer: false` only when the connection provably never opened (refused, DNS). */
  | { kind: 'network'; reachedServer: boolean };

/**
 * Whether this failure may be retried for this command. 429 is always retryable (the server
 * refused the request); so is a connection that never opened. Anything that may have reached
 * the server (5xx, timeout, a dropped connection) is retried only for idempotent commands.
 */
export function isRetryable(command: string, failure: AttemptFailure): boolean {
  const idempotent = IDEMPOTENT_COMMANDS.has(command);
  return failure.kind === 'status'
    ? failure.status === 429 || (failure.status > 499 && idempotent)
    : (failure.kind === 'network' && !failure.reachedServer) || idempotent;
}

/** Full-jitter exponential backoff before attempt `attempt + 1` (`attempt` counts from 1). */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Parses `Retry-After` (delay-seconds or an HTTP date) into milliseconds from `nowMs`;
 * `undefined` when absent or unreadable. Dates in the past mean "now" (0).
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number,
): number | undefined {
  const trimmed = header?.trim() ?? '';
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always names a weekday and a GMT zone; Date.parse alone accepts far too much.
  const at = /^[a-z]{3},\s.*GMT$/i.test(trimmed) ? Date.parse(trimmed) : NaN;
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/**
 * Error codes that prove the request never reached the server (the connection never opened, or
 * the URL or a request argument was refused before anything was written), and the messages of
 * the bare, code-less errors undici refuses some URLs with before connecting.
 */
const NOT_SENT =
  /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|E(HOST|NET)UNREACH|UND_ERR_(CONNECT_TIMEOUT|INVALID_ARG)|ERR_INVALID_URL|bad port|unknown scheme)$/;

/** Whether a thrown `fetch` error proves nothing was sent (walks the `cause` chain). */
export function neverReachedServer(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (NOT_SENT.test(typeof code === 'string' ? code : current.message)) return true;
    current = current.cause;
  }
  return false;
}
