import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { loadAppConfig } from '../src/config/load-app-config.js';
import type { DatabaseEngine } from '../src/database/database-engine.js';
import { MigrationError, runMigrations } from '../src/database/migrations/migration-runner.js';
import { openDatabaseEngine } from '../src/database/open-database-engine.js';
import { TEST_ENGINES } from './support/engines.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { MIGRATIONS_DIR, startTestApp } from './support/test-app.js';

const INIT = '20261125000000_init';

describe.each(TEST_ENGINES)('migrations (%s)', (engine) => {
  let db: ScratchDatabase;
  let handle: DatabaseEngine;

  beforeAll(async () => {
    db = await createScratchDatabase(engine);
    handle = await openDatabaseEngine(loadAppConfig({ NODE_ENV: 'test', ...db.env }).database, () => undefined);
  });
  afterAll(async () => {
    await handle?.close();
    await db?.drop();
  });

  it('applies every migration once and records it as Prisma Migrate does', async () => {
    const first = await runMigrations(handle, MIGRATIONS_DIR);
    expect(first.applied).toContain(INIT);
    const second = await runMigrations(handle, MIGRATIONS_DIR);
    expect(second.applied).toEqual([]);
    expect(second.alreadyApplied).toEqual(first.applied);

    const rows = await handle.query<{ migration_name: string; checksum: string; finished_at: Date | null; applied_steps_count: number }>(
      'SELECT migration_name, checksum, finished_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
    );
    const expected = createHash('sha256').update(readFileSync(join(MIGRATIONS_DIR, INIT, 'migration.sql'))).digest('hex');
    expect(rows[0]).toEqual(expect.objectContaining({ migration_name: INIT, checksum: expected, applied_steps_count: 1 }));
    expect(rows[0]?.finished_at).not.toBeNull();
  });

  it('creates pgvector 0.8, a vector(1536) column and both HNSW indexes', async () => {
    const [ext] = await handle.query<{ extversion: string }>("SELECT extversion FROM pg_extension WHERE extname = 'vector'");
    expect(ext?.extversion).toMatch(/^0\.8\./);
    const [col] = await handle.query<{ udt_name: string; type: string }>(
      `SELECT c.udt_name, format_type(a.atttypid, a.atttypmod) AS type
         FROM information_schema.columns c
         JOIN pg_attribute a ON a.attrelid = 'embeddings'::regclass AND a.attname = c.column_name
        WHERE c.table_name = 'embeddings' AND c.column_name = 'embedding_vector'`,
    );
    expect(col).toEqual({ udt_name: 'vector', type: 'vector(1536)' });
    const indexes = await handle.query<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'embeddings' AND indexname LIKE 'embeddings_vector_%' ORDER BY indexname",
    );
    expect(indexes.map((i) => i.indexname)).toEqual(['embeddings_vector_cosine_idx', 'embeddings_vector_l2_idx']);
    expect(indexes[0]?.indexdef).toMatch(/USING hnsw .*vector_cosine_ops/);
    expect(indexes[1]?.indexdef).toMatch(/USING hnsw .*vector_l2_ops/);
  });

  it("indexes the knowledge index's order (created_at, then id), its status filter and its total", async () => {
    const indexes = await handle.query<{ indexname: string; indexdef: string }>(
      "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'knowledge_bases' AND indexname LIKE '%\\_idx' ORDER BY indexname",
    );
    expect(indexes.map((i) => [i.indexname, i.indexdef.replace(/^.* USING /, '')])).toEqual([
      ['knowledge_bases_tenant_id_created_at_id_idx', 'btree (tenant_id, created_at DESC, id DESC)'],
      ['knowledge_bases_tenant_id_idx', 'btree (tenant_id)'],
      ['knowledge_bases_tenant_id_status_created_at_id_idx', 'btree (tenant_id, status, created_at DESC, id DESC)'],
    ]);
  });

  it('turns on forced row-level security on every tenant-owned table', async () => {
    const rows = await handle.query<{ relname: string; relrowsecurity: boolean; relforcerowsecurity: boolean }>(
      `SELECT relname, relrowsecurity, relforcerowsecurity FROM pg_class
        WHERE relname IN ('knowledge_bases', 'documents', 'embeddings', 'embedding_rebuilds', 'ingestion_jobs', 'search_corpus', 'search_terms', 'usage_events') ORDER BY relname`,
    );
    expect(rows).toEqual([
      { relname: 'documents', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'embedding_rebuilds', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'embeddings', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'ingestion_jobs', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'knowledge_bases', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'search_corpus', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'search_terms', relrowsecurity: true, relforcerowsecurity: true },
      { relname: 'usage_events', relrowsecurity: true, relforcerowsecurity: true },
    ]);
    const tenantOwned = await handle.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns WHERE column_name = 'tenant_id' AND table_schema = 'public' ORDER BY table_name`,
    );
    expect(tenantOwned.map((r) => r.table_name)).toEqual(['documents', 'embedding_rebuilds', 'embeddings', 'ingestion_jobs', 'knowledge_bases', 'search_corpus', 'search_terms', 'usage_events']);
  });

  it('stops with a clear message when an applied migration was changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      appendFileSync(join(dir, INIT, 'migration.sql'), '\n-- an innocent-looking edit\n');
      await expect(runMigrations(handle, dir)).rejects.toThrow(MigrationError);
      await expect(runMigrations(handle, dir)).rejects.toThrow(/"20261125000000_init" has been modified after it was applied/);
      // and the application refuses to start on it
      await expect(startTestApp(engine, { MIGRATIONS_DIR: dir }, db)).rejects.toThrow(/has been modified/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rolls back a failing migration completely and reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bb-migrations-'));
    try {
      cpSync(MIGRATIONS_DIR, dir, { recursive: true });
      cpSync(join(dir, INIT), join(dir, '29991231000000_broken'), { recursive: true });
      const { writeFileSync } = await import('node:fs');
      writeFileSync(join(dir, '29991231000000_broken', 'migration.sql'), 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n');
      await expect(runMigrations(handle, dir)).rejects.toThrow(/"29991231000000_broken" failed and was rolled back/);
      const leftovers = await handle.query("SELECT 1 FROM pg_tables WHERE tablename = 'half_done'");
      expect(leftovers).toEqual([]);
      const recorded = await handle.query("SELECT 1 FROM _prisma_migrations WHERE migration_name = '29991231000000_broken'");
      expect(recorded).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('can be turned off at start-up', async () => {
    const fresh = await createScratchDatabase(engine);
    try {
      const t = await startTestApp(engine, { RUN_MIGRATIONS: 'false' }, fresh);
      try {
        const res = await t.get('/health/ready');
        expect(res.status).toBe(503); // no migrations, so no vector extension
      } finally {
        await t.close();
      }
    } finally {
      await fresh.drop();
    }
  });
});
