import { commandFailure, errorResponse, sentPartsOf, vendorMessages } from './responses.js';
import type { CommandName, Fault, FaultStatus } from './types.js';

const droppedResponses = new WeakSet<Response>();

/**
 * A placeholder answer meaning "drop the connection". The transport turns it into a destroyed
 * socket (real listener) or a rejected `fetch` (in-process); it is never sent as is.
 */
function dropConnection(): Response {
  const response = new Response(null, { status: 599 });
  droppedResponses.add(response);
  return response;
}

/** Whether an answer is the {@link dropConnection} placeholder. */
export function isDropped(response: Response): boolean {
  return droppedResponses.has(response);
}

/** D3's messages where the vendor gives one; `Service Unavailable.` (the contract's example) for 503. */
const statusMessages: Record<FaultStatus, string> = {
  400: vendorMessages.badJson,
  401: vendorMessages.unauthorized,
  429: vendorMessages.rateLimited,
  500: vendorMessages.unexpected,
  503: 'Service Unavailable.',
};

/**
 * `Retry-After` of an injected 429 without `retryAfterSeconds`. The vendor's pages do not say
 * whether D3 sends one; the mock's own rate limiter always does, so an injected 429 looks the same
 * unless a test asks for another wait.
 */
const defaultRetryAfterSeconds = 1;

const statusTexts: Record<number, string> = {
  200: 'OK',
  403: 'Forbidden',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Temporarily Unavailable',
  504: 'Gateway Time-out',
};

/** The answer of a fault that replaces the command's own, before the command runs. */
export function faultAnswer(
  command: CommandName,
  fault: Exclude<Fault, { type: 'latency' } | { type: 'truncated' }>,
): Response {
  switch (fault.type) {
    case 'status': {
      const headers: Record<string, string> = {};
      const retryAfter =
        fault.retryAfterSeconds ?? (fault.status === 429 ? defaultRetryAfterSeconds : undefined);
      if (retryAfter !== undefined) headers['retry-after'] = String(Math.ceil(retryAfter));
      return errorResponse(fault.status, statusMessages[fault.status], headers);
    }
    case 'drop':
      return dropConnection();
    case 'html': {
      const status = fault.status ?? 502;
      const title = `${status} ${statusTexts[status] ?? 'Error'}`;
      // The page nginx-style reverse proxies send: what a client meets when D3 sits behind one.
      const page = `<html>\r\n<head><title>${title}</title></head>\r\n<body>\r\n<center><h1>${title}</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n`;
      return new Response(page, { status, headers: { 'content-type': 'text/html' } });
    }
    case 'command-error':
      return commandFailure(command, fault.message);
  }
}

/** The command's real answer with its body cut in half: invalid JSON, as a broken proxy delivers. */
export async function truncate(response: Response): Promise<Response> {
  // The mock's own answers keep their text and headers beside a bodiless `Response`.
  const parts = sentPartsOf(response);
  const text = parts?.body ?? (await response.text());
  const headers = new Headers(parts?.headers ?? response.headers);
  headers.delete('content-length');
  return new Response(text.slice(0, Math.floor(text.length / 2)), {
    status: response.status,
    headers,
  });
}
