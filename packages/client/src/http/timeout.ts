/**
 * The per-attempt time limit and the caller's abort. A wrapper around the `fetch` it is given,
 * not openapi-fetch middleware: it runs once per attempt (below the retry loop), and it must be
 * able to settle an attempt whose `fetch` ignores its signal (an in-process one may).
 *
 * The limit covers the answer's body too, which openapi-fetch reads after this layer has
 * returned: the body-reading methods of the answer are wrapped so that a read still racing the
 * timer fails with a timeout, and so that the timer is cleared once the body is read. Wrapping
 * the methods costs far less than reading the body here and building a second `Response`.
 */
import type { Clock } from '../clock.js';
import { neverReachedServer } from '../retry.js';
import { FailedAttempt, type CallErrors, type Layer } from './call.js';

/** Options of {@link timeoutLayer}. */
export interface TimeoutLayerOptions {
  /** Limit for one attempt, answer body included, in milliseconds. */
  timeoutMs: number;
  clock: Clock;
  errors: CallErrors;
}

const BODY_READERS = ['text', 'json', 'arrayBuffer', 'blob', 'formData'] as const;

/** Statuses whose answers carry no body, so nothing is left to read once they arrive. */
const NO_BODY = new Set([101, 204, 205, 304]);

/** Counts the attempt, arms its timer and watches the caller's signal until the body is read. */
export function timeoutLayer({ timeoutMs, clock, errors }: TimeoutLayerOptions): Layer {
  return (next) => (request, call) =>
    new Promise<Response>((resolve, reject) => {
      call.attempts++;
      const callerSignal = call.signal;
      const controller = new AbortController();
      call.attemptSignal = controller.signal;
      // Until the answer arrives, a stop rejects the attempt (the retry layer decides what
      // follows); afterwards it fails the body read in progress, and any read started later.
      let answered = false;
      let done = false;
      let bodyError: unknown;
      let failBody: ((error: unknown) => void) | undefined;
      const finish = (): void => {
        done = true;
        cancelTimer();
        callerSignal?.removeEventListener('abort', onCallerAbort);
      };
      const stop = (kind: 'timeout' | 'abort', reason: unknown): void => {
        if (done) return;
        finish();
        controller.abort(reason);
        const failure = new FailedAttempt(kind, kind === 'abort' || answered, reason, timeoutMs);
        if (!answered) return reject(failure);
        bodyError = bodyFailure(failure);
        failBody?.(bodyError);
      };
      // The server answered, so the command may have run. The call itself is left as it is: an
      // answer the retry layer discards has its body read too.
      const bodyFailure = (failure: FailedAttempt) =>
        errors.attempt({ ...call, mayHaveRun: true }, failure);
      const onCallerAbort = (): void => stop('abort', callerSignal?.reason);
      const cancelTimer = clock.timer(timeoutMs, () => stop('timeout', new Error('timeout')));
      if (callerSignal?.aborted) return onCallerAbort();
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });

      next(request, call).then(
        (response) => {
          if (done) return;
          answered = true;
          if (response.body === null || NO_BODY.has(response.status)) finish();
          else watchBody(response);
          resolve(response);
        },
        (error: unknown) => {
          if (done) return;
          finish();
          reject(
            error instanceof FailedAttempt
              ? error
              : new FailedAttempt('network', !neverReachedServer(error), error),
          );
        },
      );

      /** Makes each body read race the timer and clear it when it ends. */
      function watchBody(response: Response): void {
        for (const method of BODY_READERS) {
          const read = response[method] as () => Promise<unknown>;
          Object.defineProperty(response, method, {
            configurable: true,
            value: () =>
              new Promise((resolveBody, rejectBody) => {
                if (bodyError !== undefined) return rejectBody(bodyError);
                if (done) return read.call(response).then(resolveBody, rejectBody);
                failBody = rejectBody;
                read.call(response).then(
                  (body) => {
                    finish();
                    resolveBody(body);
                  },
                  (error: unknown) => {
                    if (done) return;
                    finish();
                    rejectBody(bodyFailure(new FailedAttempt('network', true, error)));
                  },
                );
              }),
          });
        }
      }
    });
}
