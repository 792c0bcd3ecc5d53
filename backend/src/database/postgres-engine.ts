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

const RECONNECT_MS = 2000;

/**
 * LISTEN on a connection of its own (a pooled one would be handed to others), reconnecting after
 * a drop. Notifications missed while disconnected are covered by whatever polling the listener
 * also does; a reconnect calls `onNotify` once, in case one was missed.
 */
async function listenOn(url: string, channel: string, onNotify: () => void, onError: (err: Error) => void): Promise<() => Promise<void>> {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`not a plain channel name: ${channel}`);
  let stopped = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  // one pending retry at most: a failed connect may both end the client (lost) and reject (reconnect)
  const retryLater = (): void => {
    if (retry || stopped) return;
    retry = setTimeout(() => void reconnect(), RECONNECT_MS);
    retry.unref();
  };
  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString: url, application_name: 'business-brain-listener' });
    const lost = (err?: Error): void => {
      if (client !== next) return;
      client = null;
      void next.end().catch(() => undefined);
      if (stopped) return;
      if (err) onError(err);
      retryLater();
    };
    next.on('error', lost);
    next.on('end', () => lost());
    next.on('notification', (message) => {
      if (message.channel === channel) onNotify();
    });
    client = next;
    await next.connect();
    await next.query(`LISTEN ${channel}`);
  };
  const reconnect = async (): Promise<void> => {
    retry = null;
    if (stopped) return;
    try {
      await connect();
      onNotify();
    } catch (error) {
      if (stopped) return;
      onError(error instanceof Error ? error : new Error(String(error)));
      dropClient();
      retryLater();
    }
  };
  // a client whose connect or LISTEN failed: closed, and forgotten first so its 'end' is not a loss
  const dropClient = (): void => {
    const failed = client;
    client = null;
    void failed?.end().catch(() => undefined);
  };

  try {
    await connect();
  } catch (error) {
    stopped = true; // the caller gets no stop function: nothing may retry behind its back
    dropClient();
    throw error;
  }
  return async () => {
    stopped = true;
    if (retry) clearTimeout(retry);
    const current = client;
    client = null;
    await current?.end().catch(() => undefined);
  };
}

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
    listen: (channel, onNotify) => listenOn(config.url, channel, onNotify, reportPoolError),
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
