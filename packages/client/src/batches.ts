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
export type BatchOutcome<T> = { ok: true; value: T } | { ok: false; error: D3Error };

/**
 * Sends the requests of a prepared call, `concurrency` at a time, and reports each as it ends.
 * A failed batch is kept (the others go on), except an abort or an error that is no
 * {@link D3Error}, which ends the whole call. Outcomes are in request order.
 */
export function sendBatches<C extends CommandName, T>(
  call: PreparedCall<C>,
  concurrency: number,
  send: (request: PreparedRequest<C>) => Promise<T>,
  onProgress?: (progress: D3Progress) => void,
): Promise<BatchOutcome<T>[]> {
  const { command, requests } = call;
  const batchCount = requests.length;
  const one = (request: PreparedRequest<C>, batchIndex: number): Promise<BatchOutcome<T>> =>
    send(request).then(
      (value) => {
        const { items } = request;
        onProgress?.({ command, batchIndex, batchCount, items, ok: true });
        return { ok: true, value };
      },
      (error: unknown) => {
        if (error instanceof D3AbortError || !isD3Error(error)) throw error;
        const { items } = request;
        onProgress?.({ command, batchIndex, batchCount, items, ok: false, error });
        return { ok: false, error };
      },
    );
  // Most calls are one request: no worker pool for them.
  const [only] = requests;
  return batchCount === 1 && only
    ? one(only, 0).then((outcome) => [outcome])
    : mapWithConcurrency(requests, concurrency, one);
}

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

/**
 * The outcomes of a call's batches, split: the successful values and the failed requests, both in
 * request order. Throws the first error when every batch failed: nothing landed, and the caller
 * gets the error as from a single request.
 */
export function splitOutcomes<C extends CommandName, T>(
  call: PreparedCall<C>,
  outcomes: readonly BatchOutcome<T>[],
): { values: T[]; failed: FailedRequest<C>[] } {
  const values: T[] = [];
  const failed: FailedRequest<C>[] = [];
  let firstItem = 0;
  outcomes.forEach((outcome, batchIndex) => {
    const request = call.requests[batchIndex] as PreparedRequest<C>;
    if (outcome.ok) values.push(outcome.value);
    else failed.push({ request, batchIndex, firstItem, error: outcome.error });
    firstItem += request.items;
  });
  const [first] = failed;
  if (first && values.length === 0) throw first.error;
  return { values, failed };
}
