/**
 * The per-attempt time limit and the caller's abort. A wrapper around the `fetch` it is given,
 * not openapi-fetch middleware: it runs once per attempt (below the retry loop), and it must be
 * able to settle an attempt whose `fetch` ignores its signal (an in-process one may).
 *
 * The limit covers the answer's body too, which openapi-fetch reads after this layer has
 * returned: the body-reading methods of the answer are replaced so that a read still racing the
 * timer fails with a timeout, and so that the timer is cleared once the body is read. That costs
 * far less than reading the body here and building a second `Response`.
 *
 * Written as a class with shared methods rather than closures: closures stored on the answer
 * (which refer back to it) made the garbage collector promote every call's objects, and that
 * alone cost more than the rest of the pipeline.
 */
import type { Clock } from '../clock.js';
import { neverReachedServer } from '../retry.js';
import { FailedAttempt, type Call, type CallErrors, type Layer } from './call.js';

/** Options of {@link timeoutLayer}. */
export interface TimeoutLayerOptions {
  /** Limit for one attempt, answer body included, in milliseconds. */
  timeoutMs: number;
  clock: Clock;
  errors: CallErrors;
}

/** Statuses whose answers carry no body, so nothing is left to read once they arrive. */
const NO_BODY = new Set([101, 204, 205, 304]);

/** Where a watched answer keeps its attempt. */
const ATTEMPT = Symbol('attempt');
type Watched = Response & { [ATTEMPT]?: Attempt };

/** One attempt: its timer, the caller's signal, and the answer's body until it is read. */
class Attempt {
  /** Settles the attempt until the answer arrives. */
  declare resolve: (response: Response) => void;
  declare reject: (error: unknown) => void;
  answered = false;
  done = false;
  /** Why the timer or the caller stopped the attempt after the answer arrived. */
  bodyError: unknown = undefined;
  /** Fails the body read in progress, if any. */
  failRead: ((error: unknown) => void) | undefined = undefined;
  controller: AbortController | undefined = undefined;
  stopReason: unknown = undefined;
  cancelTimer: () => void;

  constructor(
    readonly call: Call,
    readonly timeoutMs: number,
    readonly errors: CallErrors,
    clock: Clock,
  ) {
    this.cancelTimer = clock.timer(timeoutMs, () => this.stop('timeout', new Error('timeout')));
    call.signal?.addEventListener('abort', this, { once: true });
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

  finish(): void {
    this.done = true;
    this.cancelTimer();
    this.call.signal?.removeEventListener('abort', this);
  }

  stop(kind: 'timeout' | 'abort', reason: unknown): void {
    if (this.done) return;
    this.finish();
    this.stopReason = reason;
    this.controller?.abort(reason);
    const failure = new FailedAttempt(
      kind,
      kind === 'abort' || this.answered,
      reason,
      this.timeoutMs,
    );
    if (!this.answered) return this.reject(failure);
    this.bodyError = this.bodyFailure(failure);
    this.failRead?.(this.bodyError);
  }

  /**
   * The error for an answer whose body could not be read. The server answered, so the command
   * may have run; the call itself is left as it is (an answer the retry layer discards has its
   * body read too).
   */
  bodyFailure(failure: FailedAttempt): unknown {
    return this.errors.attempt({ ...this.call, mayHaveRun: true }, failure);
  }

  answer(response: Response): void {
    if (this.done) return;
    this.answered = true;
    // Not `response.body === null`: reading `body` makes undici build a stream that a plain
    // `text()` does without. openapi-fetch reads no body of these answers.
    if (NO_BODY.has(response.status) || response.headers.get('content-length') === '0') {
      this.finish();
    } else {
      (response as Watched)[ATTEMPT] = this;
      Object.setPrototypeOf(response, WatchedResponse.prototype);
    }
    this.resolve(response);
  }

  fail(error: unknown): void {
    if (this.done) return;
    this.finish();
    this.reject(
      error instanceof FailedAttempt
        ? error
        : new FailedAttempt('network', !neverReachedServer(error), error),
    );
  }

  /** A body read of the answer, racing the timer. */
  read(response: Response, reader: (this: Response) => Promise<unknown>): Promise<unknown> {
    if (this.bodyError !== undefined) return Promise.reject(this.bodyError);
    if (this.done) return reader.call(response);
    return new Promise((resolve, reject) => {
      this.failRead = reject;
      reader.call(response).then(
        (body) => {
          this.finish();
          resolve(body);
        },
        (error: unknown) => {
          if (this.done) return;
          this.finish();
          reject(this.bodyFailure(new FailedAttempt('network', true, error)));
        },
      );
    });
  }
}

/**
 * A watched answer: the same `Response`, whose body readers race the attempt's timer. Answers
 * are moved onto this prototype (one step) rather than given own methods (an object each).
 */
class WatchedResponse extends Response {
  declare [ATTEMPT]?: Attempt;
  override text(): Promise<string> {
    return this.read(super.text) as Promise<string>;
  }
  override json(): Promise<unknown> {
    return this.read(super.json);
  }
  override arrayBuffer(): Promise<ArrayBuffer> {
    return this.read(super.arrayBuffer) as Promise<ArrayBuffer>;
  }
  override blob(): Promise<Blob> {
    return this.read(super.blob) as Promise<Blob>;
  }
  override formData(): Promise<FormData> {
    return this.read(super.formData) as Promise<FormData>;
  }
  private read(reader: (this: Response) => Promise<unknown>): Promise<unknown> {
    const attempt = this[ATTEMPT];
    return attempt ? attempt.read(this, reader) : reader.call(this);
  }
}

/** Counts the attempt, arms its timer and watches the caller's signal until the body is read. */
export function timeoutLayer({ timeoutMs, clock, errors }: TimeoutLayerOptions): Layer {
  return (next) => (request, call) => {
    call.attempts++;
    const attempt = new Attempt(call, timeoutMs, errors, clock);
    call.attemptInit = attempt;
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
