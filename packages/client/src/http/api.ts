/**
 * The openapi-fetch client both the typed methods and `client.raw` call: the one place that
 * builds a `Request`. Its `fetch` is the pipeline; user middleware (`client.use`) runs before it.
 */
import { operationIds, operationPaths } from '@d3soar/openapi/contract';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { CommandName, paths } from '../types.js';
import type { Call } from './call.js';
import type { Pipeline } from './pipeline.js';

/** What the typed methods know about a call before openapi-fetch builds its request. */
export interface KnownCall {
  command: CommandName;
  username: string;
  signal: AbortSignal | undefined;
  /** The body text, serialised by the typed method. */
  body: string;
}

/** The openapi-fetch client, and how to start a call for a request it built. */
export interface Api {
  client: Client<paths>;
  /** The call state for `request`: what the typed method knows, else what the request shows. */
  startCall(request: Request, known?: KnownCall): Call;
  /** Adds middleware to the client. */
  use(...middleware: Middleware[]): void;
  /**
   * The `Request` class for a typed method's call: the plain one, since the method knows the
   * body text, until middleware is added (it may replace the request, body and all).
   */
  requestClass(): typeof Request;
}

/** Options of {@link createApi}. */
export interface ApiOptions {
  /** The API root, checked (`https://…/api`). */
  apiRoot: string;
  /** Headers for every request (lower priority than per-request and auth headers). */
  headers: Record<string, string>;
  pipeline: Pipeline;
}

/** Marks the requests openapi-fetch built with {@link BuiltRequest}. */
const BUILT = Symbol('built');

/**
 * A `Request` that keeps the body text it was built with, so a retry can send it again without
 * reading the body back (a `Request` body can be read once).
 */
class BuiltRequest extends Request {
  readonly [BUILT] = true;
  readonly bodyText: string | undefined;
  /**
   * The signal the caller gave, if any. The request's own `signal` always exists, and watching
   * one that nobody can abort would cost every call a listener.
   */
  readonly callerSignal: AbortSignal | undefined;
  constructor(input: string | URL | Request, init?: RequestInit) {
    super(input, init);
    this.bodyText = typeof init?.body === 'string' ? init.body : undefined;
    this.callerSignal = init?.signal ?? undefined;
  }
  /**
   * Any `Request`: openapi-fetch checks what middleware returns against the class it builds
   * with, and middleware returns plain requests.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return value instanceof Request;
  }
}

const isBuilt = (request: Request): request is BuiltRequest => BUILT in request;

/** Creates the openapi-fetch client over the pipeline. */
export function createApi({ apiRoot, headers, pipeline }: ApiOptions): Api {
  // The command of each path the contract names, by the request URL openapi-fetch builds.
  const commandByUrl = new Map<string, CommandName>(
    operationIds.map((command) => [`${apiRoot}${operationPaths[command]}`, command]),
  );
  const { send, clock } = pipeline;
  let middlewareAdded = false;
  const startCall = (request: Request, known?: KnownCall): Call => ({
    // The operationId decides the retry rules; any other path is named by its URL.
    command: known?.command ?? commandByUrl.get(request.url) ?? request.url,
    username: known?.username,
    body: isBuilt(request) ? request.bodyText : known && !middlewareAdded ? known.body : undefined,
    signal: known ? known.signal : isBuilt(request) ? request.callerSignal : request.signal,
    startedAt: clock.now(),
    attempts: 0,
    mayHaveRun: false,
    retryAfterMs: undefined,
    attemptInit: undefined,
  });
  const client = createClient<paths>({
    baseUrl: apiRoot,
    // `manual`: see the redirect layer.
    redirect: 'manual',
    Request: BuiltRequest,
    // Every D3 command answers JSON; the client's headers may say otherwise.
    headers: { accept: 'application/json', ...headers },
    fetch: (request) => send(request, startCall(request)),
  });
  return {
    client,
    startCall,
    use(...middleware) {
      client.use(...middleware);
      middlewareAdded = true;
    },
    requestClass: () => (middlewareAdded ? BuiltRequest : Request),
  };
}
