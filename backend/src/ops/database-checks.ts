import type { AppConfig } from '../config/app-config.js';
import type { DatabaseEngine } from '../database/database-engine.js';
import type { CheckReport } from './check-report.js';
import { readMigrationStatus, summarizeMigrations } from './migration-status.js';
import { describeDatabase, embeddedState, inUseMessage, openOpsDatabase } from './ops-database.js';

/** The HNSW indexes semantic search reads (created by the init migration). */
export const VECTOR_INDEXES = ['embeddings_vector_cosine_idx', 'embeddings_vector_l2_idx'] as const;

interface IndexRow extends Record<string, unknown> {
  name: string;
  table_name: string;
  method: string;
  valid: boolean;
  ready: boolean;
}

/**
 * The deployment guide's database checks: reachable, pgvector installed, the vector column, both
 * vector indexes present and valid, every migration applied. An embedded database that a running
 * server holds cannot be opened by a second process: its checks are skipped, with the reason.
 */
export async function checkDatabase(report: CheckReport, config: AppConfig): Promise<void> {
  const database = config.database;
  if (database.engine === 'pglite' && embeddedState(database.dataDir) === 'in-use') {
    report.skip('database', `${inUseMessage(database.dataDir)} (the backend's /health/ready still checks pgvector through the server)`);
    return;
  }
  let engine: DatabaseEngine;
  try {
    engine = await openOpsDatabase(database);
    const [server] = await engine.query<{ version: string }>("SELECT current_setting('server_version') AS version");
    report.pass('database connection', `${describeDatabase(database)}, PostgreSQL ${server?.version ?? '?'}`);
  } catch (error) {
    report.fail('database connection', `${describeDatabase(database)}: ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  try {
    await report.check('pgvector extension', async () => {
      const [row] = await engine.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
      if (!row) throw new Error('not installed in this database (CREATE EXTENSION vector; the init migration does it)');
      return `installed, version ${row.extversion}`;
    });
    await report.check('embeddings.embedding_vector is vector', async () => {
      const [column] = await engine.query<{ type_name: string; type: string }>(
        `SELECT t.typname AS type_name, format_type(a.atttypid, a.atttypmod) AS type
           FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
          WHERE a.attrelid = to_regclass('embeddings') AND a.attname = 'embedding_vector' AND NOT a.attisdropped`,
      );
      if (!column) throw new Error('column embeddings.embedding_vector not found (migrations not applied?)');
      if (column.type_name !== 'vector') throw new Error(`is of type ${column.type}, not vector`);
      return column.type;
    });
    const indexes = await engine.query<IndexRow>(
      `SELECT c.relname AS name, t.relname AS table_name, am.amname AS method, i.indisvalid AS valid, i.indisready AS ready
         FROM pg_index i
         JOIN pg_class c ON c.oid = i.indexrelid
         JOIN pg_class t ON t.oid = i.indrelid
         JOIN pg_am am ON am.oid = c.relam
         JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = current_schema() AND c.relname IN ($1, $2)`,
      [...VECTOR_INDEXES],
    );
    for (const name of VECTOR_INDEXES) {
      await report.check(`index ${name}`, () => {
        const index = indexes.find((row) => row.name === name);
        if (!index) throw new Error('missing: semantic search scans every vector (recreate it as in the init migration)');
        if (!index.valid || !index.ready) throw new Error(`invalid (a failed or interrupted build): REINDEX INDEX "${name}"`);
        return Promise.resolve(`${index.method} on ${index.table_name}, valid`);
      });
    }
    await report.check('migrations applied', async () => {
      const status = await readMigrationStatus(engine, config.migrations.dir);
      const summary = summarizeMigrations(status);
      if (status.problems.length > 0) throw new Error(`${summary} (see npx nx run backend:migrate:status)`);
      return summary;
    });
  } finally {
    await engine.close();
  }
}
