import { isPlainObject } from '@d3soar/support';
import { Hono } from 'hono';
import { PatternRouter } from 'hono/router/pattern-router';
import { credentialAllows, type Authenticator } from './auth.js';
import { contentTypeMessage, isJsonContentType } from './content-type.js';
import { faultAnswer, truncate } from './fault-responses.js';
import type { FaultBook } from './faults.js';
import type { RateDecision } from './rate-limit.js';
import {
  bodyTooDeepMessage,
  bodyTooLargeMessage,
  nestsDeeperThan,
  readBodyText,
  readIncomingText,
} from './read-body.js';
import type { HttpBindings } from '@hono/node-server';
import { commandFailure, errorResponse, vendorMessages } from './responses.js';
import { commandNames, type CommandName, type MockState } from './types.js';
import type { RequestBodyOf } from '@d3soar/openapi/contract';

/** A request body after validation: the contract's type of the command's body. */
export type CommandRequest<Command extends CommandName = CommandName> = RequestBodyOf<Command>;

/** What a handler knows of the request beyond its body. */
export interface RequestContext {
  /** When the request reached the mock (`performance.now()`): deadlines count from here. */
  readonly arrivedAt: number;
}

/** Runs one command against the state; throws only on bugs (answered as 500). */
export type CommandHandler<Command extends CommandName = CommandName> = (
  request: CommandRequest<Command>,
  context: RequestContext,
) => Response | Promise<Response>;

/** Each command's handler. */
export type CommandHandlers = { readonly [Command in CommandName]: CommandHandler<Command> };

/**
 * Checks a request body against the contract: the one place a body becomes a typed request, or a
 * `message` naming the failing field.
 */
export type RequestCheck = <Command extends CommandName>(
  command: Command,
  body: unknown,
) => { valid: true; request: CommandRequest<Command> } | { valid: false; message: string };

/** What the request pipeline needs; each part is built (and tested) on its own. */
export interface AppParts {
  state: MockState;
  authenticator: Authenticator;
  rateLimit: ((credential: string) => RateDecision) | null;
  faults: FaultBook;
  checkRequest: RequestCheck;
  handlers: CommandHandlers;
}

const commandSet: ReadonlySet<string> = new Set(commandNames);

function isCommandName(name: string): name is CommandName {
  return commandSet.has(name);
}

/** Hands a checked request to its command's handler (typed per command, without a cast). */
function runCommand<Command extends CommandName>(
  handlers: CommandHandlers,
  command: Command,
  request: CommandRequest<Command>,
  context: RequestContext,
): Response | Promise<Response> {
  const handler: CommandHandler<Command> = handlers[command];
  return handler(request, context);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The Hono app serving `POST /{namespace}/api/Command/{Command}` for any namespace (one or more
 * path segments). Order of checks: route → method → credentials → rate limit → Content-Type →
 * body size (1 MiB) → nesting depth (64) → JSON body → contract → site/user binding → faults →
 * site exists → command.
 */
export function createApp(parts: AppParts): Hono {
  const { state, authenticator, rateLimit, faults, checkRequest, handlers } = parts;
  // Three routes: a router that tries each route's regular expression in turn beats the default
  // (a trie, since the namespace pattern spans segments) by about a tenth of the mock's throughput.
  const app = new Hono({ router: new PatternRouter() });

  // What the mock answered, by status, for multi-process tests that check totals.
  app.use('*', async (c, next) => {
    await next();
    if (c.req.path.startsWith('/__mock/')) return;
    const status = String(c.res.status);
    state.statuses[status] = (state.statuses[status] ?? 0) + 1;
  });

  // Outside the contract's paths (which all end in /api/Command/{Command}).
  app.get('/__mock/stats', (c) => c.json({ requests: state.requests, statuses: state.statuses }));

  app.all('/:namespace{.+}/api/Command/:command', async (c) => {
    const arrivedAt = performance.now();
    const name = c.req.param('command');
    if (!isCommandName(name)) {
      return errorResponse(
        404,
        `Unknown command '${name}'. This server answers ${commandNames.join(', ')}.`,
      );
    }
    state.requests[name] += 1;
    if (c.req.method !== 'POST') {
      return errorResponse(405, `Method ${c.req.method} is not allowed; use POST.`, {
        allow: 'POST',
      });
    }

    const credential = await authenticator.authenticate(c.req.raw.headers);
    if (credential === null) return errorResponse(401, vendorMessages.unauthorized);
    if (rateLimit !== null) {
      const decision = rateLimit(credential.id);
      if (!decision.allowed) {
        return errorResponse(429, vendorMessages.rateLimited, {
          'retry-after': String(decision.retryAfterSeconds),
        });
      }
    }

    const contentType = c.req.raw.headers.get('content-type');
    if (!isJsonContentType(contentType)) return errorResponse(400, contentTypeMessage(contentType));
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming;
    const read =
      incoming === undefined ? await readBodyText(c.req.raw) : await readIncomingText(incoming);
    if (!read.ok) return errorResponse(400, bodyTooLargeMessage);
    if (nestsDeeperThan(read.text)) return errorResponse(400, bodyTooDeepMessage);
    let body: unknown;
    try {
      body = JSON.parse(read.text);
    } catch {
      return errorResponse(400, vendorMessages.badJson);
    }
    if (!isPlainObject(body)) return errorResponse(400, vendorMessages.badJson);
    const check = checkRequest(name, body);
    if (!check.valid) return errorResponse(400, check.message);
    const { request } = check;
    if (!credentialAllows(credential, request.Site, request.Username)) {
      return errorResponse(401, vendorMessages.unauthorized);
    }

    const fault = faults.select(name);
    if (fault.latencyMs > 0) await delay(fault.latencyMs);
    if (fault.answer !== undefined && fault.answer.type !== 'truncated') {
      return faultAnswer(name, fault.answer);
    }

    if (!state.sites.includes(request.Site)) {
      return commandFailure(name, `Site '${request.Site}' does not exist.`);
    }
    const response = await runCommand(handlers, name, request, { arrivedAt });
    return fault.answer?.type === 'truncated' ? truncate(response) : response;
  });

  app.notFound(() =>
    errorResponse(
      404,
      'Not found. Commands are served at POST /{namespace}/api/Command/{Command}.',
    ),
  );
  app.onError(() => errorResponse(500, vendorMessages.unexpected));
  return app;
}
