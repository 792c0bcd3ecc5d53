import { mkdirSync } from 'node:fs';

import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { PrismaPGlite } from 'pglite-prisma-adapter';

import type { DatabaseEngine, SqlSession } from './database-engine.js';

/**
 * Embedded PostgreSQL (PGlite, WASM) with pgvector, stored in `dataDir`, or in memory for
 * `memory://`. PGlite is a single connection that queues its callers, so a "session" is the
 * database itself.
 */
export async function createPgliteEngine(dataDir: string): Promise<DatabaseEngine> {
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir, { extensions: { vector } });
  const session: SqlSession = {
    exec: async (sql) => {
      await db.exec(sql);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await db.query<T>(sql, params)).rows,
  };
  let closed = false;

  return {
    kind: 'pglite',
    adapter: new PrismaPGlite(db),
    ...session,
    withSession: (fn) => fn(session),
    async close() {
      if (closed) return;
      closed = true;
      await db.close();
    },
  };
}
