import { commandFailure, errorResponse, vendorMessages } from './responses.js';
import type { CommandName, Fault } from './types.js';

const droppedResponses = new WeakSet<Response>();

/**
 * A placeholder answer meaning "drop the connection". The transport turns it into a destroyed
 * socket (real listener) or a rejected `fetch` (in-process); it is never sent as is.
 */
export function dropConnection(): Response {
  const response = new Response(null, { status: 599 });
  droppedResponses.add(response);
  return response;
}

/** Whether an answer is the {@link dropConnection} placeholder. */
export function isDropped(response: Response): boolean {
  return droppedResponses.has(response);
}

const statusMessages: Record<number, string> = {
  401: vendorMessages.unauthorized,
  429: vendorMessages.rateLimited,
  500: vendorMessages.unexpected,
  502: 'Bad Gateway.',
  503: 'Service Unavailable.',
  504: 'Gateway Timeout.',
};

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
      if (fault.retryAfterSeconds !== undefined) {
        headers['retry-after'] = String(Math.ceil(fault.retryAfterSeconds));
      }
      const message = statusMessages[fault.status] ?? `Injected fault: HTTP ${fault.status}.`;
      return errorResponse(fault.status, message, headers);
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
  const text = await response.text();
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(text.slice(0, Math.floor(text.length / 2)), {
    status: response.status,
    headers,
  });
}
