import { serve, type HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isDropped } from './fault-responses.js';
import { sentPartsOf } from './responses.js';

/** A request handler in the shape Hono's `app.fetch` has. */
export type AppFetch = (request: Request, env: object) => Response | Promise<Response>;

/** A started HTTP listener. */
export interface Listener {
  port: number;
  close(): Promise<void>;
}

/**
 * Serves `appFetch` over HTTP with `@hono/node-server`. A dropped-connection fault destroys the
 * socket, so the caller sees a network error rather than any response.
 */
export function startListener(appFetch: AppFetch, host: string, port: number): Promise<Listener> {
  return new Promise((resolve, reject) => {
    const server = serve(
      {
        fetch: async (request, env) => {
          const response = await appFetch(request, env);
          const { incoming, outgoing } = env as HttpBindings;
          if (isDropped(response)) {
            incoming.socket.destroy();
            return response;
          }
          // Write the JSON the mock built straight to the socket: reading it back out of the
          // Response's web stream would cost about as much as the command itself.
          const parts = sentPartsOf(response);
          if (parts === undefined || outgoing.headersSent) return response;
          outgoing.writeHead(parts.status, {
            ...parts.headers,
            'content-length': Buffer.byteLength(parts.body),
          });
          outgoing.end(parts.body);
          return RESPONSE_ALREADY_SENT;
        },
        hostname: host,
        port,
        // Leave the global Request/Response alone: the mock runs inside other people's test processes.
        overrideGlobalObjects: false,
      },
      (info: AddressInfo) => {
        server.off('error', reject);
        resolve({
          port: info.port,
          close: () =>
            new Promise<void>((done) => {
              const http = server as Server;
              http.close(() => done());
              http.closeAllConnections();
            }),
        });
      },
    );
    server.once('error', reject);
  });
}
