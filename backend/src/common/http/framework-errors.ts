import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

import type { ErrorResponseDto } from './error-response.dto.js';
import type { ResponseHeaders } from './response-headers.js';

const body = (statusCode: number, message: string, requestId: string): ErrorResponseDto => ({
  statusCode,
  error: STATUS_CODES[statusCode] ?? 'Error',
  message,
  request_id: requestId,
});

const ROUTER_MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'The URL is malformed (an invalid percent-encoding in the path)',
  FST_ERR_MAX_PARAM_LENGTH: 'A path segment of the URL is too long',
};

/**
 * Fastify's router answers a malformed URL (400) or an over-long path parameter (414) before any
 * hook, filter or error handler runs; this `frameworkErrors` handler gives those answers the one
 * error shape and the headers of every other response.
 */
export const frameworkErrorHandler =
  (headers: ResponseHeaders) =>
  (error: FastifyError, request: FastifyRequest, reply: FastifyReply): void => {
    const status = typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 400;
    const requestId = String(request.id);
    request.log.info({ code: error.code, status }, 'request refused by the router');
    for (const [name, value] of headers(request.raw.url ?? '/', requestId)) void reply.header(name, value);
    void reply
      .header('cache-control', 'no-store')
      .status(status)
      .type('application/json; charset=utf-8')
      .send(body(status, ROUTER_MESSAGES[error.code] ?? (STATUS_CODES[status] ?? 'Bad request'), requestId));
  };

const CLIENT_ERRORS: Record<string, { status: number; message: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, message: 'The request headers are too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, message: 'The request was not received in time' },
};

/**
 * Node's HTTP parser refuses a request it cannot read (headers too large, a malformed request
 * line, too slow) before Fastify sees it; this `clientErrorHandler` answers on the socket in the
 * one error shape (with a fresh request id, since no request exists) and closes it.
 */
export const clientErrorHandler =
  (headers: ResponseHeaders, log: (fields: Record<string, unknown>, message: string) => void) =>
  (error: NodeJS.ErrnoException, socket: Duplex): void => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const { status, message } = CLIENT_ERRORS[error.code ?? ''] ?? { status: 400, message: 'The request could not be read' };
    const requestId = randomUUID();
    log({ code: error.code, status, request_id: requestId }, 'request refused by the HTTP parser');
    if (socket.writable) {
      const payload = JSON.stringify(body(status, message, requestId));
      const lines = [
        `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
        'content-type: application/json; charset=utf-8',
        `content-length: ${Buffer.byteLength(payload)}`,
        'connection: close',
        'cache-control: no-store',
        ...headers('/', requestId)
          .filter(([name]) => name !== 'cache-control')
          .map(([name, value]) => `${name}: ${value}`),
      ];
      socket.write(`${lines.join('\r\n')}\r\n\r\n${payload}`);
    }
    socket.destroy(error);
  };
