import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';

import { createApp } from './create-app.js';
import type { AppConfig } from './config/app-config.js';

const DEVELOPMENT_AUTH_WARNING =
  '!!! AUTHENTICATION IS OFF: no CLERK_SECRET_KEY or CLERK_JWT_KEY is set, so every tenant route is open to anyone ' +
  '(development mode; responses carry X-Auth-Mode: development). Set a Clerk key before exposing this service. !!!';

/** Creates the app, starts listening, and closes everything on SIGTERM/SIGINT so the process exits. */
export async function bootstrap(config: AppConfig, logger: Logger): Promise<NestFastifyApplication> {
  if (config.authMode === 'development' && config.mode !== 'worker') logger.warn(DEVELOPMENT_AUTH_WARNING);
  const app = await createApp(config, logger);
  await app.listen(config.port, config.host);
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  logger.info({ port, host: config.host, engine: config.database.engine, mode: config.mode }, 'business brain listening');

  let closing = false;
  const shutdown = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    app.close().then(
      () => {
        logger.info('shutdown complete');
        process.exitCode = 0;
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', shutdown);
  process.once('SIGINT', shutdown);
  return app;
}
