/**
 * The openapi-fetch client both the typed methods and `client.raw` call: the one place that
 * builds a `Request`. Its `fetch` is the pipeline; user middleware (`client.use`) runs before it.
 */
import { operationIds, operationPaths } from '@d3soar/openapi/contract';
import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { CommandName, paths } from '../types.js';
import { D3Error, D3ResponseError, errorMessage } from '../errors.js';
import { endCall, FailedAttempt, type Call } from './call.js';
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
  /**
   * Runs one call of the openapi-fetch client: `work` passes `scope.fetch` as the request's
   * `fetch`. The call ends when `work` settles, so the answer's body (which openapi-fetch reads)
   * stays under the attempt's time limit and the caller's abort: if either strikes first, the
   * result is that error. `mode` says how the call ends (default: {@link TYPED_CALL}).
   */
  run<T>(work: (scope: CallScope) => Promise<T>, known?: KnownCall, mode?: RunMode): Promise<T>;
  /** Adds middleware to the client. */
  use(...middleware: Middleware[]): void;
  /**
   * The `Request` class for a typed method's call: the plain one, since the method knows the
   * body text, until middleware is added (it may replace the request, body and all).
   */
  requestClass(): typeof Request;
}

/** How {@link Api.run} ends a call. */
export interface RunMode {
  /**
   * The answer's body is handed over as a stream and read later: the last attempt stays watched
   * until its limit passes, and the limit then aborts the read.
   */
  readonly keepOpen: boolean;
  /**
   * openapi-fetch parsed the answer as JSON: its `SyntaxError` (a 200 that is an HTML error page
   * or cut off) becomes a `D3ResponseError`, as the client promises typed errors.
   */
  readonly parsedJson: boolean;
}

/** A typed method's call: it reads the body as text and checks it itself. */
export const TYPED_CALL: RunMode = { keepOpen: false, parsedJson: false };

/** One call of the openapi-fetch client, as {@link Api.run} hands it to its work. */
export interface CallScope {
  /** The request's `fetch`: starts the call and sends the request through the pipeline. */
  readonly fetch: (request: Request) => Promise<Response>;
  /** The call, once openapi-fetch has handed its request over (middleware may answer before). */
  readonly call: Call | undefined;
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
  /** The URL as openapi-fetch joined it (`request.url` serialises the parsed URL on every read). */
  readonly urlText: string | undefined;
  constructor(input: string | URL | Request, init?: RequestInit) {
    super(input, init);
    this.bodyText = typeof init?.body === 'string' ? init.body : undefined;
    this.callerSignal = init?.signal ?? undefined;
    this.urlText = typeof input === 'string' ? input : undefined;
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
  const commandOf = (request: Request): string =>
    (isBuilt(request) && request.urlText !== undefined && commandByUrl.get(request.urlText)) ||
    (commandByUrl.get(request.url) ?? request.url);
  const { send, clock, errors } = pipeline;
  let middlewareAdded = false;
  const startCall = (
    request: Request,
    known?: KnownCall,
    bodyFailed?: (error: D3Error) => void,
  ): Call => ({
    // The operationId decides the retry rules; any other path is named by its URL.
    command: known?.command ?? commandOf(request),
    username: known?.username,
    body: isBuilt(request) ? request.bodyText : known && !middlewareAdded ? known.body : undefined,
    signal: known ? known.signal : isBuilt(request) ? request.callerSignal : request.signal,
    startedAt: clock.now(),
    attempts: 0,
    mayHaveRun: false,
    retryAfterMs: undefined,
    attempt: undefined,
    bodyFailed,
  });

  /**
   * One call's scope. openapi-fetch takes a `fetch` per request, and that `fetch` must start this
   * call: so it is a function of its own per call.
   */
  class Scope implements CallScope {
    call: Call | undefined = undefined;
    declare fail: (error: unknown) => void;
    constructor(readonly known: KnownCall | undefined) {}
    readonly fetch = (request: Request): Promise<Response> => {
      this.call = startCall(request, this.known, this.fail);
      return send(request, this.call);
    };
  }

  /**
   * An error from reading an answer's body is a network failure of that attempt (the server
   * answered, so the command may have run). Only the errors a body read raises are mapped:
   * `fetch`'s `TypeError` and `DOMException`; others (middleware's own) pass as they are.
   */
  const bodyReadError = (call: Call | undefined, error: unknown): unknown =>
    call?.attempt?.answered &&
    !(error instanceof D3Error) &&
    (error instanceof TypeError || error instanceof DOMException)
      ? errors.attempt({ ...call, mayHaveRun: true }, new FailedAttempt('network', true, error))
      : error;

  /** openapi-fetch's `SyntaxError` for an answer that is not JSON, as a `D3ResponseError`. */
  const notJson = (call: Call | undefined, error: SyntaxError): D3Error => {
    const message = `the answer is not JSON (${error.message})`;
    // No call: middleware answered before the request reached the pipeline.
    return call
      ? errors.build(call, D3ResponseError, message, 'unknown', error)
      : rawError(message, error);
  };

  function run<T>(
    work: (scope: CallScope) => Promise<T>,
    known?: KnownCall,
    mode = TYPED_CALL,
  ): Promise<T> {
    const scope = new Scope(known);
    return new Promise<T>((resolve, reject) => {
      scope.fail = reject;
      work(scope).then(
        (value) => {
          if (!mode.keepOpen) endCall(scope.call);
          resolve(value);
        },
        (error: unknown) => {
          endCall(scope.call);
          // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- passes on what the work threw (middleware's own errors included) when it is not the client's to map
          reject(
            mode.parsedJson && error instanceof SyntaxError
              ? notJson(scope.call, error)
              : bodyReadError(scope.call, error),
          );
        },
      );
    });
  }
  const client = createClient<paths>({
    baseUrl: apiRoot,
    // `manual`: see the redirect layer.
    redirect: 'manual',
    Request: BuiltRequest,
    headers,
    fetch: (request) => send(request, startCall(request)),
  });
  return {
    client,
    run,
    use(...middleware) {
      client.use(...middleware);
      middlewareAdded = true;
    },
    requestClass: () => (middlewareAdded ? BuiltRequest : Request),
  };
}

/** A `client.raw` error raised before the request reached the pipeline (no call to count). */
function rawError(reason: string, cause: unknown): D3Error {
  const { message, ...parts } = errorMessage('client.raw', { reason }, 'unknown');
  return new D3ResponseError(message, {
    command: 'client.raw',
    outcome: 'unknown',
    cause,
    ...parts,
  });
}
