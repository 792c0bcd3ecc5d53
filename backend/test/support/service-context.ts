import 'reflect-metadata';

import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

import { AppModule } from '../../src/app.module.js';
import { loadAppConfig } from '../../src/config/load-app-config.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { MIGRATIONS_DIR } from './test-app.js';

/**
 * The service-level test tier: the application's real providers and database, without HTTP, on an
 * in-memory PGlite (migrated at start, gone at close). Faster than an HTTP test for behaviour that
 * lives below the controllers; the ingestion worker is off unless a test turns it on.
 */
export async function startServiceContext(env: Record<string, string> = {}): Promise<INestApplicationContext> {
  const config = loadAppConfig({ NODE_ENV: 'test', LOG_LEVEL: 'warn', MIGRATIONS_DIR, DATA_DIR: 'memory://', INGESTION_WORKER: 'false', ...env });
  return NestFactory.createApplicationContext(AppModule.forRoot(config), { logger: false });
}

/** The tenant's id, provisioning it as a first request would. */
export async function tenantId(context: INestApplicationContext, slug: string): Promise<string> {
  return (await context.get(TenantsService).provision(slug, null)).id;
}
