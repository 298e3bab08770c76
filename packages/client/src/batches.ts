import type { PreparedCall, PreparedRequest } from './commands/prepared.js';
import { mapWithConcurrency } from './concurrency.js';
import { D3AbortError, D3Error } from './errors.js';
import type { CommandName } from './types.js';

/** What `onProgress` gets after each request (batch) of a call. */
export interface D3Progress {
  /** The command of the call. */
  command: CommandName;
  /** Which batch this was, from 0, in the order of the call's requests. */
  batchIndex: number;
  /** How many batches the call has. */
  batchCount: number;
  /** How many items the batch carried: event IDs, artifacts, or 1 for a trigger. */
  items: number;
  /** Whether the batch succeeded. */
  ok: boolean;
  /** Why the batch failed (after any retries); absent when `ok`. */
  error?: D3Error;
}

/** `instanceof D3Error`, typed as the default `D3Error` rather than `D3Error<any>`. */
const isD3Error = (error: unknown): error is D3Error => error instanceof D3Error;

/** What became of one batch. */
type BatchOutcome<T> = { ok: true; value: T } | { ok: false; error: D3Error };

/** A batch that failed, after any retries. */
export interface FailedRequest<C extends CommandName> {
  /** The request as it was sent. */
  request: PreparedRequest<C>;
  /** Its position among the call's requests. */
  batchIndex: number;
  /** How many items the requests before it carried: its first item's index in the call. */
  firstItem: number;
  error: D3Error;
}

/** What came of a call's requests: the successful values and the failed requests, in order. */
export interface SentCall<C extends CommandName, T> {
  values: T[];
  failed: FailedRequest<C>[];
}

/**
 * Sends the requests of a prepared call, `concurrency` at a time, and reports each as it ends
 * through `onProgress`. A failed batch is kept (the others go on), except an abort or an error that
 * is no {@link D3Error}, which ends the whole call. When every batch fails, the first error is
 * thrown: nothing landed, and the caller gets the error as from a single request.
 */
export function sendInBatches<C extends CommandName, T>(
  call: PreparedCall<C>,
  concurrency: number,
  send: (request: PreparedRequest<C>) => Promise<T>,
  onProgress?: (progress: D3Progress) => void,
): Promise<SentCall<C, T>> {
  /**
   * Sends one request, tells `onProgress` how it ended (an abort ends the call unreported) and
   * resolves with `settled` of its value, in the same step.
   */
  const sendOne = <R>(
    request: PreparedRequest<C>,
    batchIndex: number,
    settled: (value: T) => R,
  ): Promise<R> =>
    send(request).then(
      (value) => {
        onProgress?.(progressOf(call, batchIndex, request.items));
        return settled(value);
      },
      (error: unknown) => {
        if (onProgress && isBatchFailure(error)) {
          onProgress(progressOf(call, batchIndex, request.items, error));
        }
        throw error;
      },
    );
  const only = call.requests[0];
  // Most calls are one request: no outcome records, no worker pool, and no async frame of its
  // own (each one costs the call a promise and a turn).
  if (call.requests.length === 1 && only) {
    return sendOne(only, 0, (value) => ({ values: [value], failed: [] }));
  }
  return sendEach(call, concurrency, sendOne);
}

/** A failure that is the batch's own, kept while the others go on: not an abort, not a bug. */
const isBatchFailure = (error: unknown): error is D3Error =>
  isD3Error(error) && !(error instanceof D3AbortError);

/** What `onProgress` gets for one batch of `call`. */
function progressOf(
  call: PreparedCall,
  batchIndex: number,
  items: number,
  error?: D3Error,
): D3Progress {
  const { command, requests } = call;
  return {
    command,
    batchIndex,
    batchCount: requests.length,
    items,
    ok: !error,
    ...(error && { error }),
  };
}

/** {@link sendInBatches} of a call of several requests. */
async function sendEach<C extends CommandName, T>(
  call: PreparedCall<C>,
  concurrency: number,
  sendOne: (
    request: PreparedRequest<C>,
    batchIndex: number,
    settled: (value: T) => BatchOutcome<T>,
  ) => Promise<BatchOutcome<T>>,
): Promise<SentCall<C, T>> {
  const { requests } = call;
  const outcomes = await mapWithConcurrency(
    requests,
    concurrency,
    (request, batchIndex): Promise<BatchOutcome<T>> =>
      sendOne(request, batchIndex, (value): BatchOutcome<T> => ({ ok: true, value })).catch(
        (error: unknown) => {
          if (!isBatchFailure(error)) throw error;
          return { ok: false, error };
        },
      ),
  );
  const sent: SentCall<C, T> = { values: [], failed: [] };
  let firstItem = 0;
  outcomes.forEach((outcome, batchIndex) => {
    const request = requests[batchIndex] as PreparedRequest<C>;
    if (outcome.ok) sent.values.push(outcome.value);
    else sent.failed.push({ request, batchIndex, firstItem, error: outcome.error });
    firstItem += request.items;
  });
  const [first] = sent.failed;
  if (first && sent.values.length === 0) throw first.error;
  return sent;
}
