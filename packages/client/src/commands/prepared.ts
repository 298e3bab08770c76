import type { CommandName, CommandParams } from '../types.js';

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

/** A frozen {@link PreparedCall}: a preview's call cannot be edited into something unchecked. */
export function preparedCall<C extends CommandName>(
  command: C,
  requests: PreparedRequest<C>[],
): PreparedCall<C> {
  return Object.freeze({ command, requests: Object.freeze(requests) });
}
