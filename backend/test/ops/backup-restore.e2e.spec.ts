import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import pg from 'pg';

import { TENANT_ROLE } from '../../src/database/tenant-database.js';
import { postgresAdminUrl, TEST_ENGINES } from '../support/engines.js';
import { runOps } from '../support/ops-process.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { BINARY, MIGRATION_NAMES, openEngine, seedTwoTenants, snapshot, withEngine, type SeededTenant } from './ops-fixtures.js';

/** Drops the database and creates it again empty (PostgreSQL), or deletes the data directory (PGlite). */
async function wipe(db: ScratchDatabase): Promise<void> {
  if (db.dataDir) {
    rmSync(join(db.dataDir, 'pglite'), { recursive: true, force: true });
    return;
  }
  const name = new URL(db.url ?? '').pathname.slice(1);
  const admin = new pg.Client({ connectionString: postgresAdminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
}

describe.each(TEST_ENGINES)('ops backup and restore (%s)', (engine) => {
  let db: ScratchDatabase;
  let dir: string;
  let file: string;
  let seeded: SeededTenant[];
  let original: Record<string, string[]>;
  const current = (): Promise<Record<string, string[]>> => withEngine(db, snapshot);

  beforeAll(async () => {
    db = await createScratchDatabase(engine);
    dir = mkdtempSync(join(tmpdir(), 'bb-ops-backup-'));
    file = join(dir, engine === 'postgres' ? 'brain.dump' : 'brain.tar.gz');
    seeded = await seedTwoTenants(db);
    original = await current();
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await db?.drop();
  });

  it('backs the database up to one file, leaving no partial file behind', async () => {
    expect(original['tenants']).toHaveLength(2);
    expect(original['embeddings']).toHaveLength(11);
    const run = await runOps('backup', ['--file', file], db.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^backup: OK: ${file.replace(/[.]/g, '\\.')}, \\d+(\\.\\d)? (KiB|MiB) \\(.*\\) in \\d+\\.\\d s$`, 'm'));
    expect(readdirSync(dir)).toEqual([file.slice(dir.length + 1)]);
  });

  it('refuses to replace an existing backup file without --force', async () => {
    const run = await runOps('backup', [], { ...db.env, BACKUP_FILE: file });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/exists already: choose another --file, or pass --force to replace it/);
  });

  it('refuses to restore over a database that holds tenants, and changes nothing', async () => {
    const run = await runOps('restore', ['--file', file], db.env);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/the target database is not empty \(2 tenants\): restoring replaces everything in it; pass --force to do that/);
    expect(await current()).toEqual(original);
  });

  it('finds every row again after the database is wiped and restored', async () => {
    await wipe(db);
    if (engine === 'postgres') expect(await current()).toEqual({});
    const run = await runOps('restore', ['--file', file], db.env);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^ {2}migrations: ${MIGRATION_NAMES.length} applied$`, 'm'));
    expect(run.stdout).toMatch(/^restore: OK in \d+\.\d s/m);
    // tenants, entries, documents (their bytes), chunks (their vectors), queue, statistics, migrations: row for row
    expect(await current()).toEqual(original);
    const bytes = await withEngine(db, (e) =>
      e.query<{ content: Uint8Array }>('SELECT content FROM documents WHERE id = $1', [seeded[0]?.binaryDocumentId]),
    );
    expect(Buffer.from(bytes[0]?.content ?? []).equals(BINARY)).toBe(true);
  });

  it('keeps row-level security: a tenant transaction sees its own rows only, and none without a tenant', async () => {
    const [acme, globex] = seeded;
    const seen = await withEngine(db, (e) =>
      e.withSession(async (session) => {
        await session.exec('BEGIN');
        try {
          await session.query("SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)", [acme?.tenantId, TENANT_ROLE]);
          const own = await session.query<{ tenant_id: string; documents: unknown }>('SELECT tenant_id::text, count(*) AS documents FROM documents GROUP BY tenant_id');
          const other = await session.query<{ n: unknown }>('SELECT count(*) AS n FROM embeddings WHERE tenant_id = $1', [globex?.tenantId]);
          await session.query("SELECT set_config('app.tenant_id', '', true)");
          const none = await session.query<{ n: unknown }>('SELECT (SELECT count(*) FROM knowledge_bases) + (SELECT count(*) FROM embeddings) AS n');
          return { own: own.map((r) => [r.tenant_id, Number(r.documents)]), other: Number(other[0]?.n), none: Number(none[0]?.n) };
        } finally {
          await session.exec('ROLLBACK');
        }
      }),
    );
    expect(seen).toEqual({ own: [[acme?.tenantId, acme?.documents]], other: 0, none: 0 });
    const verify = await runOps('verify', [], db.env);
    expect(verify.code).toBe(0);
  });

  it('replaces a database that holds tenants with --force', async () => {
    await withEngine(db, (e) => e.query("DELETE FROM tenants WHERE slug = 'globex'"));
    expect((await current())['tenants']).toHaveLength(1);
    const run = await runOps('restore', ['--file', file, '--force'], db.env);
    expect(run.code).toBe(0);
    expect(await current()).toEqual(original);
  });

  it('leaves the database as it was when the backup is damaged', async () => {
    await withEngine(db, (e) => e.query("DELETE FROM tenants WHERE slug = 'globex'"));
    const before = await current();
    const damaged = join(dir, engine === 'postgres' ? 'damaged.dump' : 'damaged.tar.gz');
    const whole = readFileSync(file);
    // cut short at the end: a pg_dump archive's table of contents (at its start) still reads, so
    // pg_restore starts, drops and reloads tables, and fails at the last table's data
    writeFileSync(damaged, whole.subarray(0, whole.length - 200));
    if (engine === 'postgres') expect(execFileSync('pg_restore', ['--list', damaged]).toString()).toMatch(/TABLE DATA public embeddings/);
    const run = await runOps('restore', ['--file', damaged, '--force'], db.env);
    expect(run.code).toBe(1);
    expect(await current()).toEqual(before);
    if (db.dataDir) expect(readdirSync(db.dataDir)).toEqual(['pglite']);
  });

  it('refuses a file that is not a backup of this engine', async () => {
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'not a backup');
    const notBackup = await runOps('restore', ['--file', text], db.env);
    expect(notBackup.code).toBe(1);
    expect(notBackup.stderr).toMatch(/is not a Business Brain backup/);
    const other = join(dir, engine === 'postgres' ? 'other.tar.gz' : 'other.dump');
    writeFileSync(other, engine === 'postgres' ? Buffer.from([0x1f, 0x8b, 8, 0]) : Buffer.from('PGDMP\u0001'));
    const wrongEngine = await runOps('restore', ['--file', other, '--force'], db.env);
    expect(wrongEngine.code).toBe(1);
    expect(wrongEngine.stderr).toMatch(/a backup restores into the engine it was taken from/);
    const missing = await runOps('restore', [], db.env);
    expect(missing.stderr).toMatch(/which backup\? pass --file PATH \(or set BACKUP_FILE\)/);
  });

  if (engine === 'postgres') {
    it('refuses to restore over objects a migration newer than the backup created, changing nothing', async () => {
      await withEngine(db, (e) =>
        e.exec(`CREATE TABLE later_feature (id int PRIMARY KEY);
                CREATE FUNCTION later_score(x int) RETURNS int LANGUAGE sql AS 'SELECT x';`),
      );
      try {
        const before = await current();
        const run = await runOps('restore', ['--file', file, '--force'], db.env);
        expect(run.code).toBe(1);
        expect(run.stderr).toMatch(/the database holds function later_score, table later_feature, which the backup does not: a migration newer than the backup created them/);
        expect(run.stderr).toMatch(/Restore into a new, empty database instead/);
        expect(await current()).toEqual(before);
      } finally {
        await withEngine(db, (e) => e.exec('DROP TABLE later_feature; DROP FUNCTION later_score(int);'));
      }
      expect((await runOps('restore', ['--file', file, '--force'], db.env)).code).toBe(0);
    });

    it('refuses to restore while a server is connected to the database', async () => {
      // the service's pool, as a running server holds it (postgres-engine.ts names its connections)
      const run = await withEngine(db, (server) => server.withSession(() => runOps('restore', ['--file', file, '--force'], db.env)));
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/1 connection\(s\) of a running Business Brain server use this database: stop every server first, then restore/);
    });
  }

  if (engine === 'pglite') {
    it('refuses to back up or restore while a server holds the embedded database', async () => {
      const held = await openEngine(db);
      try {
        const backup = await runOps('backup', ['--file', join(dir, 'while-open.tar.gz')], db.env);
        expect(backup.code).toBe(1);
        expect(backup.stderr).toMatch(/is open \(postmaster\.pid is present\): stop the server using it first/);
        expect(existsSync(join(dir, 'while-open.tar.gz'))).toBe(false);
        const restore = await runOps('restore', ['--file', file, '--force'], db.env);
        expect(restore.code).toBe(1);
        expect(restore.stderr).toMatch(/is open \(postmaster\.pid is present\)/);
      } finally {
        await held.close();
      }
    });
  }
});
