import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { postgresAdminUrl, type EngineKind } from './engines.js';

export interface ScratchDatabase {
  /** Environment variables that point the service at this database. */
  env: Record<string, string>;
  /** For PostgreSQL: the database URL (for direct checks in tests). */
  url?: string;
  dataDir?: string;
  drop(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: postgresAdminUrl() });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database for one test file: a new PostgreSQL database, or a new PGlite directory. */
export async function createScratchDatabase(engine: EngineKind): Promise<ScratchDatabase> {
  if (engine === 'pglite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'bb-test-pglite-'));
    return {
      env: { DATA_DIR: dataDir },
      dataDir,
      drop: () => Promise.resolve(rmSync(dataDir, { recursive: true, force: true })),
    };
  }
  const name = `bb_test_${Date.now()}_${randomBytes(4).toString('hex')}`;
  await withAdmin((client) => client.query(`CREATE DATABASE "${name}"`));
  const url = new URL(postgresAdminUrl());
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString(), DATABASE_POOL_MAX: '5' },
    url: url.toString(),
    drop: () => withAdmin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).then(() => undefined),
  };
}
