/**
 * The per-attempt time limit and the caller's abort. A wrapper around the `fetch` it is given,
 * not openapi-fetch middleware: it runs once per attempt (below the retry loop), and it must be
 * able to settle an attempt whose `fetch` ignores its signal (an in-process one may).
 *
 * The limit covers the answer's body too, which openapi-fetch reads after this layer has
 * returned: an answer with a body is passed on as a `Response` of the same status and headers
 * over a stream that reads the original body chunk by chunk. The timer (or the caller's abort)
 * errors that stream, so a read still racing it fails with a timeout; the last chunk clears the
 * timer. A stream rather than a subclass of `Response` or replaced reader methods: every way of
 * reading a body (`text()`, `json()`, `body.getReader()`, `clone()`) goes through it.
 *
 * The attempt is a class with shared methods, and is itself the stream's source, rather than
 * closures: closures stored per answer (which refer back to it) made the garbage collector
 * promote every call's objects, and that alone cost more than the rest of the pipeline.
 */
import type {
  ReadableStreamDefaultController,
  ReadableStreamReadResult,
  UnderlyingSource,
} from 'node:stream/web';
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

/** One attempt: its timer, the caller's signal, and the answer's body until it is read. */
class Attempt implements UnderlyingSource<Uint8Array> {
  /** Settles the attempt until the answer arrives. */
  declare resolve: (response: Response) => void;
  declare reject: (error: unknown) => void;
  answered = false;
  done = false;
  /** The original answer's body, read by {@link pull}. */
  source: ReadableStreamDefaultReader<Uint8Array> | undefined = undefined;
  /** The stream the passed-on answer reads. */
  body: ReadableStreamDefaultController<Uint8Array> | undefined = undefined;
  controller: AbortController | undefined = undefined;
  stopReason: unknown = undefined;
  cancelTimer: () => void;

  constructor(
    readonly call: Call,
    readonly timeoutMs: number,
    readonly errors: CallErrors,
    clock: Clock,
  ) {
    this.cancelTimer = clock.timer(timeoutMs, () => {
      this.stop('timeout', new Error('timeout'));
    });
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
    if (!this.answered) {
      this.reject(failure);
      return;
    }
    const error = this.bodyFailure(failure);
    this.body?.error(error);
    // Frees the connection; the original body's own error (if any) is of no interest now.
    this.source?.cancel(error).catch(ignore);
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
    // A status below 200 is an opaque redirect (no body), and no `Response` can be built with it.
    const source =
      response.status < 200 ||
      NO_BODY.has(response.status) ||
      response.headers.get('content-length') === '0'
        ? null
        : response.body;
    if (source === null) {
      this.finish();
      this.resolve(response);
      return;
    }
    this.source = source.getReader() as ReadableStreamDefaultReader<Uint8Array>;
    const watched = new Response(new ReadableStream(this), {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // A built `Response` has no URL; the answer's (after any redirect) is worth keeping.
    if (response.url) Object.defineProperty(watched, 'url', { value: response.url });
    this.resolve(watched);
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

  /** The watched stream starts (its source interface). */
  start(controller: ReadableStreamDefaultController<Uint8Array>): void {
    this.body = controller;
  }

  /** The watched stream wants a chunk: the next one of the original body, racing the timer. */
  async pull(controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> {
    const source = this.source;
    if (!source) return;
    let chunk: ReadableStreamReadResult<Uint8Array>;
    try {
      chunk = await source.read();
    } catch (error) {
      // After a stop, the stream failed already (and the read failed because of it).
      if (this.done) return;
      this.finish();
      controller.error(this.bodyFailure(new FailedAttempt('network', true, error)));
      return;
    }
    // Stopped while reading: the stream failed already, and the read ended because of it.
    if (this.done) return;
    if (chunk.done) {
      this.finish();
      controller.close();
    } else {
      controller.enqueue(chunk.value);
    }
  }

  /** The reader of the watched answer gave up on its body: so does the attempt. */
  cancel(reason: unknown): Promise<void> | undefined {
    if (!this.done) this.finish();
    return this.source?.cancel(reason);
  }
}

const ignore = (): void => {};

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
