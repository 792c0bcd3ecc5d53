import { randomUUID } from 'node:crypto';

import type { DatabaseEngine, SqlSession } from '../database-engine.js';
import { readMigrationFiles, type MigrationFile } from './migration-files.js';

/** The advisory lock key Prisma Migrate takes, so our runner and `prisma migrate deploy` exclude each other. */
const PRISMA_MIGRATE_LOCK_KEY = 72707369;

// Identical to the table Prisma Migrate creates, so either tool can take over from the other.
const CREATE_MIGRATIONS_TABLE = `
CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface AppliedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  started_at: Date;
}

export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

/**
 * Applies pending migrations in order, each in its own transaction, and records them in
 * `_prisma_migrations` the way Prisma Migrate does. Refuses to go on (throws `MigrationError`)
 * when a migration already applied has changed on disk, or when an earlier run left one
 * unfinished: both need a person, not a retry.
 */
export async function runMigrations(
  engine: DatabaseEngine,
  dir: string,
  log: (message: string) => void = () => undefined,
): Promise<MigrationReport> {
  const files = readMigrationFiles(dir);
  return engine.withSession(async (session) => {
    await session.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    try {
      return await migrate(session, files, log);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK_KEY]);
    }
  });
}

async function migrate(session: SqlSession, files: MigrationFile[], log: (m: string) => void): Promise<MigrationReport> {
  await session.exec(CREATE_MIGRATIONS_TABLE);
  const rows = await session.query<AppliedRow>(
    `SELECT migration_name, checksum, finished_at, started_at FROM "_prisma_migrations"
      WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  const applied = new Map(rows.map((row) => [row.migration_name, row]));
  const onDisk = new Set(files.map((f) => f.name));
  for (const row of rows) {
    if (!onDisk.has(row.migration_name)) {
      log(`migration ${row.migration_name} is recorded in the database but missing from the migrations directory`);
    }
  }

  const report: MigrationReport = { applied: [], alreadyApplied: [] };
  for (const file of files) {
    const row = applied.get(file.name);
    if (row && row.finished_at === null) {
      throw new MigrationError(
        `Migration "${file.name}" was started at ${new Date(row.started_at).toISOString()} and never finished. ` +
          'Repair the database by hand, then delete its row from "_prisma_migrations" (or run `prisma migrate resolve`).',
      );
    }
    if (row) {
      if (row.checksum !== file.checksum) {
        throw new MigrationError(
          `Migration "${file.name}" has been modified after it was applied to this database ` +
            `(recorded checksum ${row.checksum.slice(0, 12)}…, file now ${file.checksum.slice(0, 12)}…). ` +
            'Restore the original file and put the change in a new migration.',
        );
      }
      report.alreadyApplied.push(file.name);
      continue;
    }
    await applyOne(session, file);
    log(`applied migration ${file.name}`);
    report.applied.push(file.name);
  }
  return report;
}

async function applyOne(session: SqlSession, file: MigrationFile): Promise<void> {
  // Unlike Prisma (which records a failed row and stops), the whole migration and its record
  // commit or roll back together: a failure leaves the database exactly as it was.
  await session.exec('BEGIN');
  try {
    await session.query(
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ($1, $2, $3, now(), 0)`,
      [randomUUID(), file.checksum, file.name],
    );
    await session.exec(file.sql);
    await session.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1
        WHERE migration_name = $1 AND finished_at IS NULL`,
      [file.name],
    );
    await session.exec('COMMIT');
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration "${file.name}" failed and was rolled back: ${reason}`);
  }
}
