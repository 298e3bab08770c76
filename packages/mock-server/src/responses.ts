import type { CommandName } from './types.js';

/** D3's own error messages, from the vendor's reference pages. */
export const vendorMessages = {
  badJson: 'The body of the request must be a valid JSON object',
  unauthorized: 'Invalid authentication key.',
  rateLimited: 'The request exceeds rate limits or is otherwise blocked by rate limiting policies.',
  unexpected: 'Unexpected Error.',
} as const;

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };

/** What an answer of the mock sends: kept beside its `Response`, which is built without a body. */
export interface SentParts {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const sentParts = new WeakMap<Response, SentParts>();

/** The status, headers and body text of an answer the mock built, if it built it. */
export function sentPartsOf(response: Response): SentParts | undefined {
  return sentParts.get(response);
}

/**
 * A JSON answer; serialised by hand so the bytes are exactly what the mock means to send. The
 * `Response` carries only the status: the listener writes the text straight to the socket, and an
 * in-process `fetch` gets it through {@link withBody}. Building a body stream for every answer,
 * then never reading it, cost about a tenth of the mock's time over HTTP.
 */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  const parts = { status, headers: { ...jsonHeaders, ...headers }, body: JSON.stringify(body) };
  // Headers too live in `parts` only: filling a `Headers` nobody reads cost as much again.
  const response = new Response(null, { status });
  sentParts.set(response, parts);
  return response;
}

/** `response` as a `fetch` caller gets it: the mock's own answers get their body here. */
export function withBody(response: Response): Response {
  const parts = sentParts.get(response);
  return parts === undefined
    ? response
    : new Response(parts.body, { status: parts.status, headers: parts.headers });
}

/** D3's HTTP-level error shape: `{"Error": "..."}` (capital E). */
export function errorResponse(
  status: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return jsonResponse(status, { Error: message }, headers);
}

/**
 * The body of a command-level failure (a 200 whose `error` is non-empty). The vendor documents only
 * success samples; the mock keeps each command's success shape and marks it failed.
 */
function commandFailureBody(command: CommandName, message: string): unknown {
  if (command === 'TriggerIncidentExternalAction') {
    return { error: message, returnData: { Status: 'Failed' } };
  }
  return { error: message, returnData: 'Failed', contextData: [] };
}

/** A 200 carrying a command-level failure. */
export function commandFailure(command: CommandName, message: string): Response {
  return jsonResponse(200, commandFailureBody(command, message));
}
