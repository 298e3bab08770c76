/**
 * The per-attempt time limit and the caller's abort. A wrapper around the `fetch` it is given,
 * not openapi-fetch middleware: it runs once per attempt (below the retry loop), and it must be
 * able to settle an attempt whose `fetch` ignores its signal (an in-process one may).
 *
 * The limit covers the answer's body too, which openapi-fetch reads after this layer has
 * returned. The answer is passed on as it is (re-streaming every body cost more than the rest of
 * the pipeline together); instead the attempt stays open until the call ends (`endCall`). When
 * the limit passes, or the caller aborts, while the body is still being read, the attempt's
 * signal aborts with the call's error, which fails the read of a `fetch` that honours its signal
 * (the global one does), and the call's `bodyFailed` settles the call with that same error
 * whether or not the `fetch` honours it.
 *
 * The attempt is a class with shared methods rather than closures: closures stored per answer
 * (which refer back to it) made the garbage collector promote every call's objects.
 */
import type { Clock } from '../clock.js';
import { classifyConnectionError } from '../retry.js';
import { FailedAttempt, type Call, type CallErrors, type Layer } from './call.js';
import { Deadlines, type Watched } from './deadlines.js';

/** Options of {@link timeoutLayer}. */
export interface TimeoutLayerOptions {
  /** Limit for one attempt, answer body included, in milliseconds. */
  timeoutMs: number;
  clock: Clock;
  errors: CallErrors;
}

/** Statuses whose answers carry no body, so nothing is left to read once they arrive. */
const NO_BODY = new Set([101, 204, 205, 304]);

/** One attempt: its time limit and the caller's signal, from the request until the call ends. */
class Attempt implements Watched {
  /** Settles the attempt until the answer arrives. */
  declare resolve: (response: Response) => void;
  declare reject: (error: unknown) => void;
  answered = false;
  done = false;
  controller: AbortController | undefined = undefined;
  stopReason: unknown = undefined;
  due = 0;
  previous: Watched | undefined = undefined;
  next: Watched | undefined = undefined;

  constructor(
    readonly call: Call,
    readonly deadlines: Deadlines,
    readonly errors: CallErrors,
  ) {
    deadlines.watch(this);
    call.signal?.addEventListener('abort', this, { once: true });
  }

  /** The time limit passed. */
  expire(): void {
    this.stop('timeout', new Error('timeout'));
  }

  /** The caller's signal aborted (an `EventListener` object, so no closure is needed). */
  handleEvent(): void {
    this.stop('abort', this.call.signal?.reason);
  }

  /**
   * The abort signal for the `fetch`, made only when the `fetch` asks for it: an in-process
   * `fetch` that never reads it costs no AbortController, a network one gets it.
   */
  get signal(): AbortSignal {
    if (!this.controller) {
      this.controller = new AbortController();
      if (this.stopReason !== undefined) this.controller.abort(this.stopReason);
    }
    return this.controller.signal;
  }

  /** Nothing more to watch: leaves the time limits and stops listening to the caller's signal. */
  end(): void {
    if (this.done) return;
    this.done = true;
    this.deadlines.unwatch(this);
    this.call.signal?.removeEventListener('abort', this);
  }

  stop(kind: 'timeout' | 'abort', reason: unknown): void {
    if (this.done) return;
    this.end();
    const failure = new FailedAttempt(
      kind,
      kind === 'abort' || this.answered,
      reason,
      this.deadlines.limitMs,
    );
    if (!this.answered) {
      this.stopReason = reason;
      this.controller?.abort(reason);
      this.reject(failure);
      return;
    }
    // The body is still being read. The server answered, so the command may have run; the
    // call itself is left as it is (an answer the retry layer discards is not watched).
    const error = this.errors.attempt({ ...this.call, mayHaveRun: true }, failure);
    this.stopReason = error;
    this.controller?.abort(error);
    this.call.bodyFailed?.(error);
  }

  answer(response: Response): void {
    if (this.done) {
      // Stopped before the answer came: nobody reads it, so free the connection.
      response.body?.cancel().catch(ignore);
      return;
    }
    this.answered = true;
    // A status below 200 is an opaque redirect (no body).
    if (response.status < 200 || NO_BODY.has(response.status) || response.body === null) {
      this.end();
    }
    this.resolve(response);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.end();
    this.reject(error instanceof FailedAttempt ? error : networkFailure(error));
  }
}

/** A failed `fetch` as a failed attempt, classified by how the connection failed. */
function networkFailure(error: unknown): FailedAttempt {
  const connection = classifyConnectionError(error);
  return new FailedAttempt('network', connection.reachedServer, error, 0, connection);
}

const ignore = (): void => {};

/** Counts the attempt, starts its time limit and watches the caller's signal until the call ends. */
export function timeoutLayer({ timeoutMs, clock, errors }: TimeoutLayerOptions): Layer {
  const deadlines = new Deadlines(clock, timeoutMs);
  return (next) => (request, call) => {
    call.attempts++;
    // A retry: the previous answer was discarded, so its attempt has nothing left to watch.
    call.attempt?.end();
    const attempt = new Attempt(call, deadlines, errors);
    call.attempt = attempt;
    const settled = new Promise<Response>((resolve, reject) => {
      attempt.resolve = resolve;
      attempt.reject = reject;
    });
    if (call.signal?.aborted) attempt.handleEvent();
    else
      next(request, call).then(
        (response) => attempt.answer(response),
        (error: unknown) => attempt.fail(error),
      );
    return settled;
  };
}
