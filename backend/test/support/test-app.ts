import 'reflect-metadata';

import { resolve } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import type { AppConfig } from '../../src/config/app-config.js';
import { loadAppConfig } from '../../src/config/load-app-config.js';
import { createLogger } from '../../src/common/logging/create-logger.js';
import { createApp } from '../../src/create-app.js';
import type { EngineKind } from './engines.js';
import { createScratchDatabase, type ScratchDatabase } from './scratch-database.js';

export const MIGRATIONS_DIR = resolve(__dirname, '../../../prisma/migrations');

const UNREACHED_RATE_LIMITS = { RATE_LIMIT_TENANT_PER_MINUTE: '1000000', RATE_LIMIT_QUERIES_PER_MINUTE: '1000000', RATE_LIMIT_IP_PER_MINUTE: '1000000' };

export interface TestApp {
  app: NestFastifyApplication;
  baseUrl: string;
  config: AppConfig;
  database: ScratchDatabase;
  /** Every JSON log line the app wrote. */
  logs: string[];
  get(path: string, init?: RequestInit): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the real application (real Fastify server on a loopback port, real database) exactly as
 * main.ts does, on a scratch database of the chosen engine.
 */
export async function startTestApp(engine: EngineKind, env: Record<string, string> = {}, database?: ScratchDatabase): Promise<TestApp> {
  const db = database ?? (await createScratchDatabase(engine));
  const logs: string[] = [];
  try {
    // no web app unless a test points WEB_APP_DIR at one (a build in dist/ must not change API tests);
    // rate limits far above what tests send (polling included), still counted on every request
    const config = loadAppConfig({ NODE_ENV: 'test', LOG_LEVEL: 'info', MIGRATIONS_DIR, WEB_APP_DIR: 'tmp/no-web-app', ...UNREACHED_RATE_LIMITS, ...db.env, ...env });
    const logger = createLogger(config.logLevel, { write: (line: string) => void logs.push(line) });
    const app = await createApp(config, logger);
    await app.listen(0, '127.0.0.1');
    const address = app.getHttpServer().address();
    if (typeof address !== 'object' || address === null) throw new Error('server has no address');
    const baseUrl = `http://127.0.0.1:${address.port}`;
    let closed = false;
    return {
      app,
      baseUrl,
      config,
      database: db,
      logs,
      get: (path, init) => fetch(`${baseUrl}${path}`, init),
      async close() {
        if (closed) return;
        closed = true;
        await app.close();
        if (!database) await db.drop();
      },
    };
  } catch (error) {
    if (!database) await db.drop();
    throw error;
  }
}
