import { checkNumber } from './check.js';

/** Retry settings (the `retry` option of `createD3Client`). */
export interface RetryOptions {
  /** Total attempts per call, the first one included (default 3; 1 disables retries). */
  maxAttempts?: number;
  /** Backoff base: attempt n waits a random time in [0, baseDelayMs × 2^(n-1)] (default 250). */
  baseDelayMs?: number;
  /** Upper bound of one backoff wait (default 8 000). */
  maxDelayMs?: number;
  /** Upper bound of a wait asked for by the server's `Retry-After` (default 60 000). */
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
  if (options === false) return { ...DEFAULT_RETRY, maxAttempts: 1 };
  const given = options ?? {};
  const policy = { ...DEFAULT_RETRY };
  for (const key of Object.keys(DEFAULT_RETRY) as (keyof RetryPolicy)[]) {
    const value = given[key];
    if (value !== undefined) {
      policy[key] = checkNumber(
        `retry.${key}`,
        value,
        key === 'maxAttempts' ? 'integer ≥ 1' : 'number ≥ 0',
      );
    }
  }
  return policy;
}

/**
 * Commands that are safe to send twice: setting the same techniques or upserting the same
 * artifacts again leaves the same state. TriggerIncidentExternalAction runs playbooks and D3 has
 * no idempotency key, so it is deliberately absent.
 */
const IDEMPOTENT_COMMANDS: ReadonlySet<string> = new Set([
  'SetEventTechniques',
  'SaveArtifactForIncident',
]);

/** Whether a command may be re-sent after it may have reached the server. */
export function isIdempotent(command: string): boolean {
  return IDEMPOTENT_COMMANDS.has(command);
}

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
  switch (failure.kind) {
    case 'status':
      if (failure.status === 429) return true;
      return failure.status >= 500 && isIdempotent(command);
    case 'timeout':
      return isIdempotent(command);
    case 'network':
      return !failure.reachedServer || isIdempotent(command);
  }
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
  if (header == null) return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always names a weekday and a GMT zone; Date.parse alone accepts far too much.
  if (!/^[A-Za-z]{3},\s/.test(trimmed) || !/GMT$/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

/** The wait before the next attempt: the server's `Retry-After` (capped) or the backoff. */
export function retryDelay(
  attempt: number,
  retryAfterMs: number | undefined,
  policy: RetryPolicy,
  random: () => number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  return backoffDelay(attempt, policy, random);
}

/** Network error codes that prove the request never reached the server. */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** Whether a thrown `fetch` error proves the connection never opened (walks the `cause` chain). */
export function neverReachedServer(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT_CODES.has(code)) return true;
    current = current.cause;
  }
  return false;
}
