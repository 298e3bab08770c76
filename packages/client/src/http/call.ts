import type { Clock } from '../clock.js';
import {
  D3AbortError,
  D3NetworkError,
  D3TimeoutError,
  errorMessage,
  type D3Error,
  type D3ErrorInit,
  type D3Outcome,
  type ErrorParts,
} from '../errors.js';
import type { Redactor } from '../redact.js';
import { describeCause, type ConnectionFailure } from '../retry.js';
import type { CommandName } from '../types.js';

/**
 * One logical request on its way down the layers (possibly sent several times). The layers share
 * what they learn about it here, so the errors they build all carry the same attempt count,
 * duration and outcome.
 */
export interface Call {
  /**
   * The command (operationId), which decides the retry rules; a path outside `/Command/` (only
   * reachable through `client.raw`) is named by its URL.
   */
  readonly command: CommandName | (string & {});
  /** The envelope's `Username`, the claim a minted JWT must carry; read from `body` when absent. */
  username: string | undefined;
  /** The request body as built, so a retry can send it again; `undefined` when not known. */
  readonly body: string | undefined;
  /** The caller's signal: aborts the call, waits included. */
  readonly signal: AbortSignal | undefined;
  /** When the call started, on the pipeline's clock. */
  readonly startedAt: number;
  /** Requests handed to `fetch` so far. */
  attempts: number;
  /** An attempt may have run the command (a 5xx, a timeout, a dropped connection). */
  mayHaveRun: boolean;
  /** The last answer's `Retry-After`, in milliseconds, when it was a 429 with a readable one. */
  retryAfterMs: number | undefined;
  /**
   * The current attempt, open until the call ends: it is also the init the `fetch` at the
   * bottom gets (its abort `signal`).
   */
  attempt: OpenAttempt | undefined;
  /**
   * Settles the call with `error` when the answer's body outlives the time limit or the caller
   * aborts while it is read (set by whoever reads the body; see `endCall`).
   */
  bodyFailed: ((error: D3Error) => void) | undefined;
}

/** An attempt as the `fetch` at the bottom and the end of the call see it. */
export interface OpenAttempt {
  /** Aborts when the attempt times out or the caller aborts, the body's read included. */
  readonly signal: AbortSignal;
  /** Whether the answer has arrived (its body may still be arriving). */
  readonly answered: boolean;
  /** Stops watching the attempt (its timer, the caller's signal). */
  end(): void;
}

/**
 * Ends a call whose answer has been read (or was never needed): its last attempt stops being
 * watched. Whoever hands the pipeline's answer to a body reader calls this once the read is over.
 */
export function endCall(call: Call | undefined): void {
  call?.attempt?.end();
}

/** The shape of every layer: a `fetch` that also gets the call it is working for. */
export type Send = (request: Request, call: Call) => Promise<Response>;

/** A layer wraps the `Send` below it. */
export type Layer = (next: Send) => Send;

/** Why an attempt produced no answer; the retry layer decides whether another attempt follows. */
export class FailedAttempt extends Error {
  override name = 'FailedAttempt';
  constructor(
    readonly kind: 'timeout' | 'network' | 'abort',
    /**
     * For `network`: whether the request may have reached the server (false only when the
     * connection provably never opened). For `abort`: whether the request was in flight.
     */
    readonly reachedServer: boolean,
    cause: unknown,
    /** For `timeout`: the limit that was exceeded. */
    readonly timeoutMs = 0,
    /** For `network`: how the connection failed, when the cause says (TLS, DNS, refused...). */
    readonly connection?: ConnectionFailure,
  ) {
    super(kind, { cause });
  }
}

/** Builds the errors of a call: redacted, with its attempts, duration and outcome. */
export interface CallErrors {
  /**
   * An error of `Kind` for this call. The outcome is `unknown` once an attempt may have run the
   * command, and the message then says what that means for this command.
   */
  build<Init extends D3ErrorInit>(
    call: Call,
    Kind: new (message: string, init: Init) => D3Error,
    /** The reason alone, or with D3's words and advice (see `D3Error.reason`). */
    message: string | ErrorParts,
    outcome: D3Outcome,
    cause?: unknown,
    extra?: Omit<Init, keyof D3ErrorInit>,
  ): D3Error;
  /** The caller aborted; `inFlight` when a request was on its way. */
  aborted(call: Call, inFlight: boolean): D3Error;
  /** The error for a failed attempt that will not be retried. */
  attempt(call: Call, failure: FailedAttempt): D3Error;
  /** Milliseconds since the call started. */
  elapsed(call: Call): number;
}

/** The {@link CallErrors} of a pipeline. */
export function callErrors(redactor: Redactor, clock: Clock): CallErrors {
  const elapsed = (call: Call): number => Math.round(clock.now() - call.startedAt);
  function build<Init extends D3ErrorInit>(
    call: Call,
    Kind: new (message: string, init: Init) => D3Error,
    message: string | ErrorParts,
    outcome: D3Outcome,
    cause?: unknown,
    extra?: Omit<Init, keyof D3ErrorInit>,
  ): D3Error {
    const { command, attempts } = call;
    if (call.mayHaveRun) outcome = 'unknown';
    const given = typeof message === 'string' ? { reason: message } : message;
    const { message: text, ...parts } = errorMessage(
      command,
      {
        reason: redactor.text(given.reason),
        d3Message: given.d3Message && redactor.text(given.d3Message),
        advice: given.advice,
      },
      outcome,
    );
    return new Kind(text, {
      command,
      attempts,
      durationMs: elapsed(call),
      outcome,
      cause: redactor.error(cause),
      ...parts,
      ...extra,
    } as Init);
  }
  return {
    build,
    elapsed,
    aborted: (call, inFlight) =>
      build(
        call,
        D3AbortError,
        'aborted by the caller',
        inFlight ? 'unknown' : call.attempts ? 'rejected' : 'not_sent',
        call.signal?.reason,
      ),
    attempt(call, failure) {
      if (failure.kind === 'abort') return this.aborted(call, failure.reachedServer);
      const tries = call.attempts === 1 ? '1 attempt' : `${call.attempts} attempts`;
      return failure.kind === 'timeout'
        ? build(
            call,
            D3TimeoutError,
            `no complete answer within ${failure.timeoutMs} ms (${tries})`,
            'not_sent',
            failure.cause,
            { timeoutMs: failure.timeoutMs },
          )
        : build(
            call,
            D3NetworkError,
            failure.connection && !failure.connection.reachedServer
              ? {
                  reason: `could not connect (${tries}): ${failure.connection.reason}`,
                  advice: failure.connection.permanent
                    ? 'Nothing was sent, and trying again cannot help until this is fixed'
                    : 'Nothing was sent',
                }
              : `network failure after ${tries}: ${failure.connection?.reason ?? describeCause(failure.cause)}`,
            'not_sent',
            failure.cause,
          );
    },
  };
}
