import type { ServerOptions } from 'node:http';

import type { AppConfig } from '../../config/app-config.js';

/**
 * The server options that cut off a client sending its request too slowly (slow headers, or a body
 * trickling in while the request holds a connection and, for an upload, its share of the memory
 * budget). Node answers through the client error handler: 408 in the one error shape.
 *
 * Node checks these deadlines on a timer (30 s apart by default), so a deadline is kept to within
 * half of the shorter one or a second, whichever is less.
 */
export function clientTimeouts(http: AppConfig['http']): { requestTimeout: number; http: ServerOptions } {
  const { headersTimeoutMs, requestTimeoutMs } = http;
  return {
    // Fastify sets the server's requestTimeout from its own option (0, no limit, by default)
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.max(50, Math.min(1000, Math.floor(Math.min(headersTimeoutMs, requestTimeoutMs) / 2))),
    },
  };
}
