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
  /**
   * `reachedServer: false` only when the connection provably never opened (refused, DNS, TLS);
   * `permanent` when trying again cannot help (a bad certificate, an unknown host).
   */
  | { kind: 'network'; reachedServer: boolean; permanent?: boolean | undefined };

/**
 * Whether this failure may be retried for this command. 429 is always retryable (the server
 * refused the request); so is a connection that never opened, unless trying again cannot help (a
 * bad certificate, an unknown host). Anything that may have reached the server (5xx, timeout, a
 * dropped connection) is retried only for idempotent commands.
 */
export function isRetryable(command: string, failure: AttemptFailure): boolean {
  const idempotent = IDEMPOTENT_COMMANDS.has(command);
  return failure.kind === 'status'
    ? failure.status === 429 || (failure.status > 499 && idempotent)
    : failure.kind === 'network'
      ? !failure.permanent && (!failure.reachedServer || idempotent)
      : idempotent;
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

/** What a failed `fetch` says about the connection: see {@link classifyConnectionError}. */
export interface ConnectionFailure {
  /** Whether the request may have reached the server (false: the connection never opened). */
  reachedServer: boolean;
  /** Whether trying again cannot help: a bad certificate, an unknown host, a refused URL. */
  permanent: boolean;
  /** What happened, in words: `TLS: certificate has expired (CERT_HAS_EXPIRED)`, ... */
  reason: string;
}

/**
 * Certificate failures: the handshake stops before any HTTP is written, and fails the same way
 * again. (Other TLS errors, `EPROTO` or `ERR_SSL_*`, may come after the request went out.)
 */
const TLS = /^(CERT_\w+|\w*_CERT(_\w+)?|UNABLE_TO_\w+|HOSTNAME_MISMATCH|ERR_TLS_CERT_\w+)$/;

/**
 * Failures before anything was sent, by error code (or, for undici's code-less refusals of a URL,
 * by message): what they mean in words, and whether retrying could help.
 */
const NOT_SENT = new Map<string, { words: string; permanent: boolean }>([
  ['ECONNREFUSED', { words: 'connection refused', permanent: false }],
  ['ENOTFOUND', { words: 'host not found', permanent: true }],
  ['EAI_AGAIN', { words: 'host name lookup failed for now', permanent: false }],
  ['EHOSTUNREACH', { words: 'host unreachable', permanent: false }],
  ['ENETUNREACH', { words: 'network unreachable', permanent: false }],
  ['UND_ERR_CONNECT_TIMEOUT', { words: 'connection timed out', permanent: false }],
  ['UND_ERR_INVALID_ARG', { words: 'request refused before sending', permanent: true }],
  ['ERR_INVALID_URL', { words: 'invalid URL', permanent: true }],
  ['bad port', { words: 'bad port', permanent: true }],
  ['unknown scheme', { words: 'unknown URL scheme', permanent: true }],
]);

/**
 * Classifies a thrown `fetch` error by walking its `cause` chain: a TLS or certificate failure, a
 * host that does not resolve and a refused connection happen before D3 receives anything (the
 * outcome is known); anything else (a reset, a dropped answer) may have reached it.
 */
export function classifyConnectionError(error: unknown): ConnectionFailure {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const given = (current as { code?: unknown }).code;
    const code = typeof given === 'string' ? given : undefined;
    if (code !== undefined && TLS.test(code)) {
      return {
        reachedServer: false,
        permanent: true,
        reason: `TLS: ${current.message} (${code})`,
      };
    }
    const known = NOT_SENT.get(code ?? current.message);
    if (known) {
      return {
        reachedServer: false,
        permanent: known.permanent,
        reason: code ? `${known.words} (${code})` : known.words,
      };
    }
    current = current.cause;
  }
  return { reachedServer: true, permanent: false, reason: describeCause(error) };
}

/** The messages (and codes) down an error's `cause` chain, for an error message. */
export function describeCause(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    parts.push(typeof code === 'string' ? `${current.message} (${code})` : current.message);
    current = current.cause;
  }
  return parts.join(': ') || String(error);
}
