import { checkNumber } from '../check.js';
import type { CommandName, CommandParams } from '../types.js';

/** Most items (event IDs, artifacts) per request unless the caller says otherwise. */
export const DEFAULT_BATCH_SIZE = 500;

/** The `batchSize` option with its default, checked; the error names the option. */
export const checkedBatchSize = (batchSize: number | undefined): number =>
  checkNumber('batchSize', batchSize ?? DEFAULT_BATCH_SIZE, 'integer >= 1');

/** One request of a {@link PreparedCall}. */
export interface PreparedRequest<C extends CommandName = CommandName> {
  /** The `CommandParams`, checked: sent exactly as they are. */
  readonly params: CommandParams<C>;
  /** How many items the request carries: event IDs, artifacts, or 1 for a trigger. */
  readonly items: number;
}

/**
 * A call checked and built, ready to send: what `client.send(preview)` sends as is, without
 * checking it again. The client adds the `Username`/`Site` envelope when it sends.
 */
export interface PreparedCall<C extends CommandName = CommandName> {
  /** The command the requests are for. */
  readonly command: C;
  /** The requests, in order: one, or several batches for a large call. */
  readonly requests: readonly PreparedRequest<C>[];
}

/** A {@link PreparedCall}; frozen once it is handed to the caller ({@link handedOut}). */
export function preparedCall<C extends CommandName>(
  command: C,
  requests: PreparedRequest<C>[],
): PreparedCall<C> {
  return { command, requests };
}

/**
 * `preview` with its call frozen, so that a call the caller holds cannot be edited into something
 * unchecked. Only previews handed to the caller are frozen: a typed method sends its call at once,
 * and freezing cost each of its calls about half a microsecond.
 */
export function handedOut<P extends { readonly call: PreparedCall }>(preview: P): P {
  Object.freeze(preview.call.requests);
  Object.freeze(preview.call);
  return preview;
}
