import { mkdirSync } from 'node:fs';

import type { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import type { DatabaseEngine, SqlSession } from './database-engine.js';
import { PgliteThreadClient } from './pglite/pglite-thread-client.js';

/**
 * Embedded PostgreSQL (PGlite, WASM) with pgvector, stored in `dataDir`, or in memory for
 * `memory://`. It runs in a thread of its own (see pglite-protocol.ts), so no statement, however
 * long, stalls the API's event loop. PGlite is a single connection that queues its callers, so a
 * "session" is the database itself.
 */
export async function createPgliteEngine(dataDir: string): Promise<DatabaseEngine> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PgliteThreadClient.open(dataDir);
  const session: SqlSession = {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await db.query<T>(sql, params)).rows,
  };

  return {
    kind: 'pglite',
    // the adapter uses query, exec and transaction, which the thread client provides with PGlite's semantics
    adapter: new PrismaPGlite(db as unknown as PGlite),
    ...session,
    withSession: (fn) => fn(session),
    poolStats: () => {
      const { transactionOpen, calls, transactionCalls } = db.load();
      // while a transaction holds PGlite's lock, its own statement runs and every other call waits;
      // otherwise one call runs and the rest wait
      const inUse = transactionOpen || calls > 0 ? 1 : 0;
      return { max: 1, inUse, idle: 1 - inUse, waiting: transactionOpen ? calls - transactionCalls : Math.max(0, calls - 1) };
    },
    // one process owns an embedded database: whoever would notify is in this process and says so directly
    listen: () => Promise.resolve(() => Promise.resolve()),
    close: () => db.close(),
  };
}
