import type { IncomingMessage } from 'node:http';

/** The largest request body the mock reads: 1 MiB, far above any real command. */
export const maxBodyBytes = 1_048_576;

/** The 400 message for a larger body: the contract has no 413, so a 400 in the vendor's style. */
export const bodyTooLargeMessage = `The body of the request must not be larger than ${maxBodyBytes} bytes (1 MiB)`;

/** A body read within the limit, or the news that it was larger. */
export type BodyRead = { ok: true; text: string } | { ok: false };

const encoder = new TextEncoder();

/**
 * Reads a request body as UTF-8 text, refusing one larger than `limit` bytes without holding it
 * in memory. A declared `Content-Length` above the limit is refused unread; within it, the body
 * is read at once (over HTTP, Node's parser delivers exactly that many bytes; in-process, where
 * a caller can declare anything, the text is measured afterwards). A body without one (chunked,
 * or a stream handed to the in-process `fetch`) is counted as it arrives and cancelled past the
 * limit.
 *
 * Why not Hono's `bodyLimit` middleware: it runs before the handler, so an oversized body would be
 * refused before the credentials are checked (the mock answers a bad key with 401 whatever the
 * body), and it trusts a declared `Content-Length`, which an in-process `Request` does not enforce.
 */
export async function readBodyText(request: Request, limit = maxBodyBytes): Promise<BodyRead> {
  const declared = request.headers.get('content-length');
  if (declared !== null && /^\d+$/.test(declared) && !request.headers.has('transfer-encoding')) {
    if (Number(declared) > limit) return { ok: false };
    const text = await request.text();
    // Only a Content-Length that lied (in-process) lets more through. A UTF-8 encoding has at least
    // as many bytes as the text has UTF-16 units and at most three times as many: encode only when
    // those bounds cannot decide.
    if (text.length > limit || (text.length * 3 > limit && encoder.encode(text).length > limit)) {
      return { ok: false };
    }
    return { ok: true, text };
  }
  const body = request.body;
  if (body === null) return { ok: true, text: '' };
  // Node's types leave the chunk type open; a request body's chunks are bytes.
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return { ok: false };
    }
    chunks.push(value);
  }
  const [only] = chunks;
  const bytes = chunks.length === 1 && only !== undefined ? only : Buffer.concat(chunks);
  return { ok: true, text: new TextDecoder().decode(bytes) };
}

/**
 * The same as {@link readBodyText}, from Node's own request stream: over HTTP, reading through the
 * web `Request` that wraps it costs a web stream per request, about a tenth of the mock's time.
 * Read with `data` events, not `for await`: an async iterator per request cost several percent
 * more. Past the limit, the rest is read and dropped, so the answer can still be sent.
 */
export function readIncomingText(
  incoming: Pick<IncomingMessage, 'headers' | 'on'>,
  limit = maxBodyBytes,
): Promise<BodyRead> {
  const declared = incoming.headers['content-length'];
  if (typeof declared === 'string' && /^\d+$/.test(declared) && Number(declared) > limit) {
    return Promise.resolve({ ok: false });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
    });
    incoming.on('end', () => {
      resolve(
        size > limit
          ? { ok: false }
          : { ok: true, text: Buffer.concat(chunks, size).toString('utf8') },
      );
    });
    incoming.on('error', reject);
  });
}

/**
 * The deepest nesting of objects and arrays a request body may have. A contract-valid body can
 * nest `Trigger Data` without end; deep enough, it overflows the stack of whatever walks it
 * recursively (the contract check, copying, logging). 64 levels is far beyond any real command.
 */
export const maxBodyDepth = 64;

/** The 400 message for a deeper body: the contract documents this limit. */
export const bodyTooDeepMessage = `The body of the request must not nest objects and arrays more than ${maxBodyDepth} levels deep`;

/**
 * Whether JSON text nests objects and arrays deeper than `limit`, told without parsing it: one
 * pass over the characters, so the check itself cannot overflow anything, and the body is parsed
 * only once it is known to be shallow enough.
 */
export function nestsDeeperThan(text: string, limit = maxBodyDepth): boolean {
  let depth = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (inString) {
      if (code === 0x5c)
        index++; // a backslash escapes the next character
      else if (code === 0x22) inString = false;
    } else if (code === 0x22) inString = true;
    else if (code === 0x7b || code === 0x5b) {
      if (++depth > limit) return true;
    } else if (code === 0x7d || code === 0x5d) depth--;
  }
  return false;
}
