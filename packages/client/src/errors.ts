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
  /** What went wrong, in a few words, without the command: `D3 rejected the request (400)`. */
  reason?: string | undefined;
  /** D3's own words about it (its `Error` or `error` text), when it sent any. */
  d3Message?: string | undefined;
  /** What to know or do next: `D3 asks to wait 2 s`, `check baseUrl`, an unknown outcome. */
  advice?: string | undefined;
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
 *
 * @typeParam ExtraInit The fields a subclass adds to the constructor's init (`timeoutMs` of
 *   {@link D3TimeoutError}, `retryAfterMs` of {@link D3RateLimitError}); none for the others.
 */
export class D3Error<ExtraInit extends object = object> extends Error {
  // Names are spelled out (not `new.target.name`) so minifying bundlers cannot mangle them.
  override name = 'D3Error';
  // `declare`: assigned in the constructor, so no field initialisers are emitted for them.
  /** The D3 command (operationId) the call was for. */
  declare readonly command: string;
  /** The HTTP status of the last response, if any. */
  declare readonly status: number | undefined;
  /** The body of the last response, if any. */
  declare readonly body: unknown;
  /** How many HTTP attempts were made. */
  declare readonly attempts: number;
  /** Wall time of the whole call, in milliseconds. */
  declare readonly durationMs: number;
  /** Whether the command may have run on the server. */
  declare readonly outcome: D3Outcome;
  /**
   * What went wrong, without the command (the message is `<command>: <reason>[: <d3Message>].
   * [<advice>.]`, except a `D3ValidationError`'s, which lists its issues): tools that show errors
   * compose these parts instead of repeating the message.
   */
  declare readonly reason: string;
  /** D3's own words about the failure, when it sent any. */
  declare readonly d3Message: string | undefined;
  /** What to know or do next, when there is something: a wait D3 asks for, an unknown outcome. */
  declare readonly advice: string | undefined;

  /**
   * @param init The shared fields, plus the fields a subclass adds (`ExtraInit`, e.g.
   *   `timeoutMs`), which are assigned the same way.
   */
  constructor(message: string, { cause, ...fields }: D3ErrorInit & ExtraInit) {
    super(message, cause === undefined ? undefined : { cause });
    // Without parts, the reason is the message less its `<command>: ` prefix.
    const reason = message.startsWith(`${fields.command}: `)
      ? message.slice(fields.command.length + 2)
      : message;
    Object.assign(
      this,
      { attempts: 0, durationMs: 0, outcome: 'rejected', reason, d3Message: undefined },
      fields,
    );
  }

  /**
   * A loggable plain object: every field of the error (subclass fields such as `retryAfterMs`
   * and `issues` included), the message and the cause's name, message and code. The stack is
   * left out on purpose (it can be long and noisy); fields without a value are `undefined`, so
   * `JSON.stringify` leaves them out.
   */
  toJSON(): D3ErrorJSON {
    const { cause } = this;
    const { name, message, code } = Object(cause) as Error & { code?: unknown };
    // Fields left undefined (a missing status, a non-string code) are dropped by JSON.stringify.
    return {
      ...(this as object),
      message: this.message,
      cause:
        cause instanceof Error
          ? { name, message, code: typeof code === 'string' ? code : undefined }
          : undefined,
    } as D3ErrorJSON;
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
  /** For a warning refused under `warnings: 'throw'`: the warning's code (e.g. `empty-in`). */
  code?: string;
}

/** The input of a call broke the contract; nothing was sent. Lists every problem at once. */
export class D3ValidationError extends D3Error {
  override name = 'D3ValidationError';
  /** Every problem found, in input order. */
  declare readonly issues: readonly D3ValidationIssue[];

  constructor(command: string, issues: readonly D3ValidationIssue[]) {
    const count = issues.length === 1 ? '1 problem' : `${issues.length} problems`;
    super(formatIssues(command, issues, count), {
      command,
      outcome: 'not_sent',
      reason: `invalid input (${count}; see .issues), nothing was sent`,
    });
    this.issues = issues;
  }
}

/**
 * One issue as a line: `<where>: <message> (did you mean: ...?)`, `where` being its path unless a
 * tool names the input its own way (a CLI flag, a file line).
 */
export function formatIssue(issue: D3ValidationIssue, where = issue.path || '(input)'): string {
  // Messages from @d3soar/domain often name their suggestions already; don't repeat them.
  const hint =
    issue.suggestions?.length && !/did you mean/i.test(issue.message)
      ? ` (did you mean: ${issue.suggestions.join(', ')}?)`
      : '';
  return `${where}: ${issue.message}${hint}`;
}

function formatIssues(
  command: string,
  issues: readonly D3ValidationIssue[],
  count: string,
): string {
  const lines = issues.map((issue) => `  - ${formatIssue(issue)}`);
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
export class D3RateLimitError extends D3Error<{ retryAfterMs?: number | undefined }> {
  override name = 'D3RateLimitError';
  /** The server's last `Retry-After`, in milliseconds, when it sent one. */
  declare readonly retryAfterMs: number | undefined;
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
export class D3TimeoutError extends D3Error<{ timeoutMs: number }> {
  override name = 'D3TimeoutError';
  /** The per-attempt limit that was exceeded. */
  declare readonly timeoutMs: number;
}

/**
 * The shared rate-limit store (Redis) could not be reached and the store says to fail
 * (`onError: 'fail'`): nothing was sent. Its message names the failure's kind, never the store's
 * address or password.
 */
export class D3RateLimitStoreError extends D3Error {
  override name = 'D3RateLimitStoreError';
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

/**
 * Runs a `prepare*` step (internal; not exported by index) and throws a
 * {@link D3ValidationError} listing every issue it found.
 */
export function checked<T>(
  command: string,
  prepare: (issues: D3ValidationIssue[]) => T | undefined,
): T {
  const issues: D3ValidationIssue[] = [];
  const result = prepare(issues);
  if (result === undefined || issues.length > 0) throw new D3ValidationError(command, issues);
  return result;
}

/** What an error says, in parts: see {@link D3Error.reason}. */
export interface ErrorParts {
  reason: string;
  d3Message?: string | undefined;
  advice?: string | undefined;
}

/**
 * An error's message and parts (internal; not exported by index): `<command>: <reason>[:
 * <d3Message>].[ <advice>.]`, with one full stop after each part whatever it ends with; for an
 * `unknown` outcome the advice says what that means for the command.
 */
export function errorMessage(
  command: string,
  { reason, d3Message, advice }: ErrorParts,
  outcome: D3Outcome,
): Required<ErrorParts> & { message: string } {
  const unknown =
    outcome !== 'unknown'
      ? undefined
      : `The outcome is unknown${command === 'TriggerIncidentExternalAction' ? ': playbooks may have run, so it was not re-sent; check the incident before retrying' : ''}`;
  const allAdvice = [advice, unknown].filter((part) => part !== undefined).join('. ') || undefined;
  const words = d3Message?.replace(/[.\s]+$/, '') || undefined;
  const stop = (text: string): string => `${text.replace(/[.\s]+$/, '')}.`;
  return {
    message:
      stop(`${command}: ${reason}${words ? `: ${words}` : ''}`) +
      (allAdvice ? ` ${stop(allAdvice)}` : ''),
    reason,
    d3Message: words,
    advice: allAdvice,
  };
}
