/**
 * What is known about whether a failed command ran on the server.
 *
 * - `not_sent`: the request never left this process (invalid input, aborted before sending,
 *   connection refused), so the command certainly did not run.
 * - `rejected`: the server answered and refused or failed the command (400, 401, 429, or a 200
 *   whose `error` is non-empty).
 * - `unknown`: the request may have reached the server but no usable answer came back (5xx,
 *   timeout, dropped connection, unreadable body). For TriggerIncidentExternalAction this means
 *   playbooks may have run: check the incident before retrying by hand.
 */
export type D3Outcome = 'not_sent' | 'rejected' | 'unknown';

/** Fields shared by every {@link D3Error}. */
export interface D3ErrorInit {
  /** The D3 command (operationId) the call was for, e.g. `SetEventTechniques`. */
  command: string;
  /** The HTTP status of the last response, when there was one. */
  status?: number | undefined;
  /** The body of the last response (parsed JSON when it parsed, else a text excerpt). */
  body?: unknown;
  /** How many HTTP attempts were made (0 when nothing was sent). */
  attempts?: number;
  /** Wall time from the call to the error, in milliseconds. */
  durationMs?: number;
  /** Whether the command may have run; see {@link D3Outcome}. */
  outcome?: D3Outcome;
  /** The underlying error, already redacted. */
  cause?: unknown;
}

/** A plain-object form of an error, safe to log: {@link D3Error.toJSON}. */
export interface D3ErrorJSON {
  name: string;
  message: string;
  command: string;
  status?: number;
  body?: unknown;
  attempts: number;
  durationMs: number;
  outcome: D3Outcome;
  cause?: { name: string; message: string; code?: string };
  [extra: string]: unknown;
}

/**
 * Base class of every error the client throws. Messages, `body`, `cause` and `toJSON()` are
 * redacted before the error is built: they never contain an API key, a JWT or a JWT secret.
 */
export class D3Error extends Error {
  // Names are spelled out (not `new.target.name`) so minifying bundlers cannot mangle them.
  override name = 'D3Error';
  /** The D3 command (operationId) the call was for. */
  readonly command: string;
  /** The HTTP status of the last response, if any. */
  readonly status: number | undefined;
  /** The body of the last response, if any. */
  readonly body: unknown;
  /** How many HTTP attempts were made. */
  readonly attempts: number;
  /** Wall time of the whole call, in milliseconds. */
  readonly durationMs: number;
  /** Whether the command may have run on the server. */
  readonly outcome: D3Outcome;

  constructor(message: string, init: D3ErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.command = init.command;
    this.status = init.status;
    this.body = init.body;
    this.attempts = init.attempts ?? 0;
    this.durationMs = init.durationMs ?? 0;
    this.outcome = init.outcome ?? 'rejected';
  }

  /**
   * A loggable plain object: every field of the error (subclass fields such as `retryAfterMs`
   * and `issues` included), the message and the cause's name, message and code. The stack is
   * left out on purpose (it can be long and noisy).
   */
  toJSON(): D3ErrorJSON {
    const json = { message: this.message } as D3ErrorJSON;
    for (const [key, value] of Object.entries(this)) if (value !== undefined) json[key] = value;
    if (this.cause instanceof Error) {
      const { name, message, code } = this.cause as Error & { code?: unknown };
      json.cause = { name, message, ...(typeof code === 'string' ? { code } : {}) };
    }
    return json;
  }
}

/** One problem found in a call's input before anything was sent. */
export interface D3ValidationIssue {
  /** Where the problem is, as a dotted path into the call's input (e.g. `eventIds.3`). */
  path: string;
  /** What is wrong, stating the rule that was broken. */
  message: string;
  /** Likely intended values (e.g. ATT&CK names close to a typo), best first. */
  suggestions?: string[];
}

/** The input of a call broke the contract; nothing was sent. Lists every problem at once. */
export class D3ValidationError extends D3Error {
  override name = 'D3ValidationError';
  /** Every problem found, in input order. */
  readonly issues: readonly D3ValidationIssue[];

  constructor(command: string, issues: readonly D3ValidationIssue[]) {
    super(formatIssues(command, issues), { command, attempts: 0, outcome: 'not_sent' });
    this.issues = issues;
  }
}

function formatIssues(command: string, issues: readonly D3ValidationIssue[]): string {
  const lines = issues.map((issue) => {
    // Messages from @d3soar/domain often name their suggestions already; don't repeat them.
    const hint =
      issue.suggestions?.length && !/did you mean/i.test(issue.message)
        ? ` (did you mean: ${issue.suggestions.join(', ')}?)`
        : '';
    return `  - ${issue.path || '(input)'}: ${issue.message}${hint}`;
  });
  const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
  return `${command}: invalid input, nothing was sent (${count}):\n${lines.join('\n')}`;
}

/** D3 answered 400: the request body broke the server's rules. */
export class D3BadRequestError extends D3Error {
  override name = 'D3BadRequestError';
}

/** D3 answered 401: the API key, JWT or site is not accepted. */
export class D3AuthError extends D3Error {
  override name = 'D3AuthError';
}

/** D3 answered 429 on every allowed attempt. */
export class D3RateLimitError extends D3Error {
  override name = 'D3RateLimitError';
  /** The server's last `Retry-After`, in milliseconds, when it sent one. */
  readonly retryAfterMs: number | undefined;

  constructor(message: string, init: D3ErrorInit & { retryAfterMs?: number | undefined }) {
    super(message, init);
    this.retryAfterMs = init.retryAfterMs;
  }
}

/** D3 (or a proxy in front of it) answered with a 5xx status. */
export class D3ServerError extends D3Error {
  override name = 'D3ServerError';
}

/** D3 answered 200 but with a non-empty `error`: the command itself failed. */
export class D3CommandError extends D3Error {
  override name = 'D3CommandError';
}

/** An attempt got no complete answer within `timeoutMs`. */
export class D3TimeoutError extends D3Error {
  override name = 'D3TimeoutError';
  /** The per-attempt limit that was exceeded. */
  readonly timeoutMs: number;

  constructor(message: string, init: D3ErrorInit & { timeoutMs: number }) {
    super(message, init);
    this.timeoutMs = init.timeoutMs;
  }
}

/** The connection failed (refused, reset, dropped mid-answer, DNS failure). */
export class D3NetworkError extends D3Error {
  override name = 'D3NetworkError';
}

/** The answer is not the JSON the contract promises (HTML, truncated, wrong shape). */
export class D3ResponseError extends D3Error {
  override name = 'D3ResponseError';
}

/**
 * The caller's `signal` aborted the call. `name` is `'AbortError'`, like the errors `fetch`
 * throws on abort, so existing `err.name === 'AbortError'` checks keep working.
 */
export class D3AbortError extends D3Error {
  override name = 'AbortError';
}

/** The sentence that tells the caller a command may have run (internal; not exported by index). */
export function unknownOutcome(command: string): string {
  return command === 'TriggerIncidentExternalAction'
    ? 'The outcome is unknown: playbooks may have run, so the request was not re-sent; check the incident before retrying.'
    : 'The outcome is unknown.';
}
