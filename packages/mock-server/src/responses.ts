import type { CommandName } from './types.js';

/** D3's own error messages, from the vendor's reference pages. */
export const vendorMessages = {
  badJson: 'The body of the request must be a valid JSON object',
  unauthorized: 'Invalid authentication key.',
  rateLimited: 'The request exceeds rate limits or is otherwise blocked by rate limiting policies.',
  unexpected: 'Unexpected Error.',
} as const;

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };

/** What a response sends, kept beside it so a listener can write it without reading the stream. */
export interface SentParts {
  status: number;
  headers: Record<string, string>;
  body: string;
}

const sentParts = new WeakMap<Response, SentParts>();

/** The status, headers and body text of a response the mock built, if it built it. */
export function sentPartsOf(response: Response): SentParts | undefined {
  return sentParts.get(response);
}

/** A JSON response; serialised by hand so the bytes are exactly what the mock means to send. */
export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): Response {
  const parts = { status, headers: { ...jsonHeaders, ...headers }, body: JSON.stringify(body) };
  const response = new Response(parts.body, { status, headers: parts.headers });
  sentParts.set(response, parts);
  return response;
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
