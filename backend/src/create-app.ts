import { randomUUID } from 'node:crypto';

import { ValidationPipe } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { LogController, type FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { AllExceptionsFilter } from './common/filters/all-exceptions.filter.js';
import { RejectNulAndNullPipe } from './common/http/reject-nul-and-null.pipe.js';
import { validationExceptionFactory } from './common/http/validation-exception.factory.js';
import { PinoNestLogger } from './common/logging/pino-nest-logger.js';
import { requestContext } from './common/logging/request-context.js';
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
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    genReqId: requestIdOf,
    logController: new LogController({ requestIdLogLabel: 'request_id' }),
    bodyLimit: config.uploads.maxJsonBodyBytes,
    trustProxy: false,
  });
  const fastify = adapter.getInstance();
  fastify.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    void reply.header('x-request-id', request.id);
    if (config.authMode === 'development') void reply.header('x-auth-mode', 'development');
    requestContext.run({ requestId: String(request.id) }, done);
  });

  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger: new PinoNestLogger(logger),
    abortOnError: false,
  });
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
    app.enableCors({ origin: config.corsOrigins, credentials: true, exposedHeaders: ['x-request-id', 'x-auth-mode'] });
  }
  setupSwagger(app);
  if (await serveWebApp(app, config.webAppDir)) logger.info({ dir: config.webAppDir }, 'serving the web app at /');
  return app;
}
