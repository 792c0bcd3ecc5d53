import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';

import type { DatabaseConfig } from '../config/app-config.js';
import type { DatabaseEngine, SqlSession } from './database-engine.js';

type PostgresConfig = Extract<DatabaseConfig, { engine: 'postgres' }>;

const sessionOf = (client: pg.PoolClient | pg.Pool): SqlSession => ({
  exec: async (sql) => {
    await client.query(sql);
  },
  query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
    (await client.query<T>(sql, params)).rows,
});

/** PostgreSQL through one `pg` pool, shared by Prisma and the service's own SQL. */
export function createPostgresEngine(config: PostgresConfig, onPoolError: (err: Error) => void): DatabaseEngine {
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolMax,
    connectionTimeoutMillis: config.connectionTimeoutMs,
    idleTimeoutMillis: config.idleTimeoutMs,
    application_name: 'business-brain',
  });
  let closed = false;
  // An idle client dropping (server restart) must not crash the process; the pool replaces it.
  // Once closing, a client's connection ending early (the database dropped or the server going
  // down at the same time) is expected and not reported.
  const reportPoolError = (err: Error): void => {
    if (!closed) onPoolError(err);
  };
  pool.on('error', reportPoolError);
  const direct = sessionOf(pool);

  return {
    kind: 'postgres',
    adapter: new PrismaPg(pool, { onPoolError: reportPoolError }),
    exec: direct.exec,
    query: direct.query,
    async withSession(fn) {
      const client = await pool.connect();
      try {
        return await fn(sessionOf(client));
      } finally {
        client.release();
      }
    },
    poolStats: () => ({
      max: config.poolMax,
      inUse: pool.totalCount - pool.idleCount,
      idle: pool.idleCount,
      waiting: pool.waitingCount,
    }),
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
