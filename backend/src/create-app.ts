import { randomUUID } from 'node:crypto';

import { ValidationPipe } from '@nestjs/common';
import fastifyHelmet from '@fastify/helmet';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

import { AppModule } from './app.module.js';
import { WorkerModule } from './worker.module.js';
import type { AppConfig } from './config/app-config.js';
import { trustedProxies } from './config/trust-proxy.js';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { corsOptions } from './common/http/cors-options.js';
import { routeTemplate, tenantInPath } from './common/http/route-template.js';
import { clientTimeouts } from './common/http/client-timeouts.js';
import { clientErrorHandler, frameworkErrorHandler } from './common/http/framework-errors.js';
import { RejectNulAndNullPipe } from './common/http/reject-nul-and-null.pipe.js';
import { responseHeaders, withHeaders } from './common/http/response-headers.js';
import { securityHeaderList, securityHeadersOptions } from './common/http/security-headers.js';
import { validationExceptionFactory } from './common/http/validation-exception.factory.js';
import { PinoNestLogger } from './common/logging/pino-nest-logger.js';
import { requestContext } from './common/logging/request-context.js';
import { RequestLogController } from './common/logging/request-log-controller.js';
import { HttpMetrics } from './metrics/http-metrics.js';
import { registerHttpMetrics } from './metrics/http-metrics.hook.js';
import { registerRateLimit } from './rate-limit/rate-limit.hook.js';
import { RateLimiter } from './rate-limit/rate-limiter.service.js';
import { setupSwagger } from './swagger/setup-swagger.js';
import { serveWebApp } from './web-app/serve-web-app.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Reuses a caller's X-Request-Id when it is a sane token, so ids can be followed across services. */
const requestIdOf = (req: { headers: Record<string, string | string[] | undefined> }): string => {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
};

/**
 * Builds the whole HTTP application (not yet listening). `main.ts` and the tests both use it, so
 * tests exercise exactly what production runs.
 */
export async function createApp(config: AppConfig, logger: Logger): Promise<NestFastifyApplication> {
  const headers = responseHeaders(config.authMode);
  const security = securityHeadersOptions({
    hstsMaxAgeSeconds: config.hstsMaxAgeSeconds,
    clerkPublishableKey: config.authMode === 'clerk' ? config.clerk.publishableKey : undefined,
  });
  // answers written before any hook runs get helmet's headers as a fixed list
  const everyHeader = withHeaders(headers, securityHeaderList(security));
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: requestIdOf,
    logController: new RequestLogController(),
    bodyLimit: config.uploads.maxJsonBodyBytes,
    ...clientTimeouts(config.http),
    // X-Forwarded-For is believed only from the configured proxies (TRUST_PROXY): it keys logs and per-address limits
    trustProxy: trustedProxies(config.http.trustProxy),
    // what Fastify and Node answer before any hook runs, in the one error shape too
    frameworkErrors: frameworkErrorHandler(everyHeader),
    clientErrorHandler: clientErrorHandler(everyHeader, (fields, message) => logger.info(fields, message)),
  });
  const fastify = adapter.getInstance();
  // write routes take JSON or multipart/form-data only (a form-encoded or plain-text body is 415)
  fastify.removeContentTypeParser('text/plain');
  fastify.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    for (const [name, value] of headers(request.url, String(request.id))) void reply.header(name, value);
    // hooks run once the route is matched: its pattern and the tenant in its path are known
    requestContext.run({ requestId: String(request.id), route: routeTemplate(request), tenant: tenantInPath(request) }, done);
  });

  // a worker-only process serves its health routes and /metrics, and none of the API
  const root = config.mode === 'worker' ? WorkerModule.forRoot(config) : AppModule.forRoot(config);
  const app = await NestFactory.create<NestFastifyApplication>(root, adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
    // Fastify's own JSON parser (with bodyLimit) stays; Nest would add a form-encoded one
    bodyParser: false,
  });
  // security headers on every routed response (404s and errors included), before any route exists
  await app.register(fastifyHelmet, security);
  app.useGlobalPipes(
    new RejectNulAndNullPipe(),
    new ValidationPipe({
      whitelist: true,
      forbidNonWhitelisted: true,
      transform: true,
      exceptionFactory: validationExceptionFactory,
    }),
  );
  app.useGlobalFilters(new AllExceptionsFilter());
  if (config.corsOrigins.length > 0) {
    app.enableCors(corsOptions(config.corsOrigins));
  }
  registerHttpMetrics(adapter.getInstance(), app.get(HttpMetrics));
  if (config.mode === 'worker') return app;
  // after CORS (a 429 carries its headers), before any route's guard, body or database work
  registerRateLimit(adapter.getInstance(), app.get(RateLimiter));
  if (config.apiDocsEnabled) setupSwagger(app, config.publicBaseUrl);
  if (await serveWebApp(app, config.webAppDir)) logger.info({ dir: config.webAppDir }, 'serving the web app at /');
  return app;
}
