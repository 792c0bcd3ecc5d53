import { STATUS_CODES } from 'node:http';

import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { AppError } from '../errors/app-error.js';
import type { ErrorResponseDto } from '../http/error-response.dto.js';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

const reason = (status: number): string => STATUS_CODES[status] ?? 'Error';

/**
 * The single place where errors become HTTP responses, all in the same shape:
 * `{ statusCode, error, message, request_id }` (+ `details` for validation). Anything we do not
 * recognise is a 500 whose body says nothing about the cause; the cause goes to the log.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const body = this.toBody(exception, String(request.id));

    if (body.statusCode >= 500) {
      this.logger.error({ err: exception, status: body.statusCode }, 'request failed');
    }
    if (exception instanceof AppError && exception.code === 'unauthenticated') {
      reply.header('WWW-Authenticate', 'Bearer');
    }
    if (exception instanceof AppError && exception.retryAfterSeconds !== undefined) {
      reply.header('Retry-After', String(Math.max(1, Math.ceil(exception.retryAfterSeconds))));
    }
    void reply.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  private toBody(exception: unknown, requestId: string): ErrorResponseDto {
    if (exception instanceof AppError) {
      const details = exception.details?.['fields'] as ErrorResponseDto['details'] | undefined;
      return {
        statusCode: exception.status,
        error: reason(exception.status),
        message: exception.message,
        request_id: requestId,
        ...(details ? { details } : {}),
      };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
      const message = Array.isArray(raw) ? raw.map(String).join('; ') : typeof raw === 'string' ? raw : exception.message;
      return {
        statusCode: status,
        error: reason(status),
        message: status >= 500 ? 'Internal server error' : message,
        request_id: requestId,
      };
    }
    // Errors raised by Fastify itself before a route runs (bad JSON, wrong content type, body too large).
    const fastifyError = exception as FastifyLikeError;
    if (
      typeof fastifyError?.statusCode === 'number' &&
      fastifyError.statusCode >= 400 &&
      fastifyError.statusCode < 500 &&
      typeof fastifyError.code === 'string' &&
      fastifyError.code.startsWith('FST_')
    ) {
      return {
        statusCode: fastifyError.statusCode,
        error: reason(fastifyError.statusCode),
        message: fastifyError.message ?? reason(fastifyError.statusCode),
        request_id: requestId,
      };
    }
    return { statusCode: 500, error: reason(500), message: 'Internal server error', request_id: requestId };
  }
}
