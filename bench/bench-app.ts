import 'reflect-metadata';

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { NestFastifyApplication } from '@nestjs/platform-fastify';

import { createLogger } from '../backend/src/common/logging/create-logger.js';
import { loadAppConfig } from '../backend/src/config/load-app-config.js';
import { createApp } from '../backend/src/create-app.js';
import { DATABASE_ENGINE, type DatabaseEngine } from '../backend/src/database/database-engine.js';

/** Settings a benchmark run takes from the environment, over the benchmark's own. */
const TUNABLE = /^(EMBEDDING|INGESTION|PARSE|CHUNK)_/;

export interface BenchApp {
  baseUrl: string;
  engine: string;
  /** The scratch PostgreSQL database's name (null on PGlite). */
  databaseName: string | null;
  /** The app's own database connection, for seeding in bulk (PGlite admits no second one). */
  database: DatabaseEngine;
  close(): Promise<void>;
}

export interface BenchAppOptions {
  /** Overrides the choice made from BENCH_POSTGRES_ADMIN_URL, e.g. to run both engines in one process. */
  engine?: 'postgres' | 'pglite';
}

/**
 * The real application on a loopback port, on a fresh database: a new PostgreSQL database when
 * BENCH_POSTGRES_ADMIN_URL is set (created and dropped here), else a temporary PGlite directory.
 */
export async function startBenchApp(env: Record<string, string>, options: BenchAppOptions = {}): Promise<BenchApp> {
  const admin = options.engine === 'pglite' ? undefined : process.env['BENCH_POSTGRES_ADMIN_URL'];
  if (options.engine === 'postgres' && !admin) throw new Error('the postgres engine needs BENCH_POSTGRES_ADMIN_URL');
  let dbEnv: Record<string, string>;
  let drop: () => Promise<void>;
  let database: string | null = null;
  if (admin) {
    const pg = (await import('pg')).default;
    const name = `bb_bench_${Date.now()}_${process.pid}`;
    database = name;
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    await client.query(`CREATE DATABASE "${name}"`);
    await client.end();
    const url = new URL(admin);
    url.pathname = `/${name}`;
    dbEnv = { DATABASE_URL: url.toString() };
    drop = async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'bb-bench-'));
    dbEnv = { DATA_DIR: dir };
    drop = () => {
      rmSync(dir, { recursive: true, force: true });
      return Promise.resolve();
    };
  }
  const config = loadAppConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn',
    MIGRATIONS_DIR: resolve('prisma/migrations'),
    INGESTION_POLL_MS: '100',
    // a benchmark measures the work, not the limits (bench/rate-limit.bench.ts measures those)
    RATE_LIMIT_TENANT_PER_MINUTE: '0',
    RATE_LIMIT_QUERIES_PER_MINUTE: '0',
    RATE_LIMIT_IP_PER_MINUTE: '0',
    QUOTA_MAX_PENDING_DOCUMENTS: '0',
    QUOTA_MAX_STORED_BYTES: '0',
    QUOTA_UPLOADS_PER_MINUTE: '0',
    ...dbEnv,
    ...env,
    // tuning knobs may be set for a run, e.g. EMBEDDING_BATCH_SIZE=128 npx nx run backend:bench
    ...Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => TUNABLE.test(e[0]) && e[1] !== undefined)),
  });
  const app: NestFastifyApplication = await createApp(config, createLogger(config.logLevel));
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    engine: config.database.engine,
    databaseName: database,
    database: app.get<DatabaseEngine>(DATABASE_ENGINE),
    close: async () => {
      await app.close();
      await drop();
    },
  };
}
