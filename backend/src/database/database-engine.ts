import type { SqlDriverAdapterFactory } from '@prisma/client/runtime/client';

/**
 * One of the two places the data can live: a PostgreSQL server (DATABASE_URL) or embedded PGlite.
 * Prisma talks to either through `adapter`; migrations and health checks use `exec`/`query`,
 * which run plain SQL on the driver (multi-statement scripts need the simple query protocol).
 */
export interface DatabaseEngine {
  readonly kind: 'postgres' | 'pglite';
  readonly adapter: SqlDriverAdapterFactory;
  /** Runs a script of one or more statements. */
  exec(sql: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Runs `fn` on one dedicated session, e.g. to hold an advisory lock across several statements. */
  withSession<R>(fn: (session: SqlSession) => Promise<R>): Promise<R>;
  /** How busy the connections are right now (read on every metrics scrape: cheap, no I/O). */
  poolStats(): PoolStats;
  /**
   * Calls `onNotify` for each NOTIFY on `channel` from any session, until the returned function is
   * called. PostgreSQL: a dedicated connection that reconnects when it drops. PGlite: nothing to
   * hear (one process owns the database, and it notifies itself in-process).
   */
  listen(channel: string, onNotify: () => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/**
 * Connections and the work waiting for one. PostgreSQL: the `pg` pool's counts. PGlite: one
 * connection, in use while a statement runs or a transaction is open; `waiting` counts the calls
 * queued behind it (statements, and transactions waiting for PGlite's lock).
 */
export interface PoolStats {
  max: number;
  inUse: number;
  idle: number;
  waiting: number;
}

/** Plain functions (no `this`), so they can be passed around on their own. */
export interface SqlSession {
  exec: (sql: string) => Promise<void>;
  query: <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => Promise<T[]>;
}

export const DATABASE_ENGINE = Symbol('DATABASE_ENGINE');
