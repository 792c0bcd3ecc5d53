import { pino, type DestinationStream, type Logger } from 'pino';

import type { LogLevel } from '../../config/app-config.js';
import { currentJob, currentRequest } from './request-context.js';

/** Paths pino replaces with "[redacted]" wherever they appear in a log object. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'cookie',
  'token',
  '*.token',
  'secretKey',
  '*.secretKey',
  'apiKey',
  '*.apiKey',
  'password',
  '*.password',
];

/**
 * One JSON logger for the whole process: Fastify's request logs and Nest's application logs go
 * through it; each line written inside a request carries that request's id, the pattern of its
 * route and the tenant in its path (when it has one), and each line the ingestion worker writes
 * for a job carries that job's and its document's ids instead.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'business-brain' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      mixin(_merge, _level, logger) {
        const job = currentJob();
        if (job) return { job_id: job.jobId, document_id: job.documentId };
        const request = currentRequest();
        if (!request) return {};
        const fields: Record<string, string> = { route: request.route };
        if (request.tenant !== undefined) fields['tenant'] = request.tenant;
        // Fastify's per-request child logger already binds request_id; don't write it twice.
        if (!('request_id' in (logger as Logger).bindings())) fields['request_id'] = request.requestId;
        return fields;
      },
      serializers: {
        req: (req: { method?: string; url?: string; id?: string; ip?: string }) => ({
          method: req.method,
          // the query string may carry a token from a misbehaving client: log the path only
          url: req.url?.split('?')[0],
          // the client's address: the connection's, or the one a trusted proxy forwarded (TRUST_PROXY)
          ip: req.ip,
        }),
        res: (res: { statusCode?: number }) => ({ status_code: res.statusCode }),
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
