import type { SqlSession } from '../database/database-engine.js';
import { readMigrationFiles } from '../database/migrations/migration-files.js';

export type MigrationState = 'applied' | 'pending' | 'changed' | 'unfinished' | 'not-on-disk';

export interface MigrationStatusEntry {
  name: string;
  state: MigrationState;
  /** When it finished (applied, changed) or started (unfinished). */
  at?: Date;
  recordedChecksum?: string;
  fileChecksum?: string;
}

export interface MigrationStatus {
  entries: MigrationStatusEntry[];
  /** Pending, changed or unfinished: the database is not what the migrations directory describes. */
  problems: MigrationStatusEntry[];
}

interface RecordedRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
  started_at: Date | string;
}

/**
 * Compares the migrations directory with what `_prisma_migrations` records, the way the runner
 * (database/migrations/migration-runner.ts) judges them: by name and sha-256 checksum, rolled-back
 * rows ignored. A recorded migration missing from the directory is listed but is no problem (the
 * runner goes on past it too).
 */
export async function readMigrationStatus(session: Pick<SqlSession, 'query'>, dir: string): Promise<MigrationStatus> {
  const files = readMigrationFiles(dir);
  const [table] = await session.query<{ present: boolean }>("SELECT to_regclass('_prisma_migrations') IS NOT NULL AS present");
  const rows = table?.present
    ? await session.query<RecordedRow>(
        `SELECT migration_name, checksum, finished_at, started_at FROM "_prisma_migrations"
          WHERE rolled_back_at IS NULL ORDER BY started_at`,
      )
    : [];
  const recorded = new Map(rows.map((row) => [row.migration_name, row]));
  const entries: MigrationStatusEntry[] = files.map((file) => {
    const row = recorded.get(file.name);
    if (!row) return { name: file.name, state: 'pending' };
    if (row.finished_at === null) return { name: file.name, state: 'unfinished', at: new Date(row.started_at) };
    const at = new Date(row.finished_at);
    if (row.checksum !== file.checksum) return { name: file.name, state: 'changed', at, recordedChecksum: row.checksum, fileChecksum: file.checksum };
    return { name: file.name, state: 'applied', at };
  });
  const onDisk = new Set(files.map((file) => file.name));
  for (const row of rows) {
    if (!onDisk.has(row.migration_name)) entries.push({ name: row.migration_name, state: 'not-on-disk', at: new Date(row.started_at) });
  }
  return { entries, problems: entries.filter((entry) => entry.state === 'pending' || entry.state === 'changed' || entry.state === 'unfinished') };
}

/** "7 applied, 2 pending (a, b)". */
export function summarizeMigrations(status: MigrationStatus): string {
  const parts: string[] = [];
  for (const state of ['applied', 'pending', 'changed', 'unfinished', 'not-on-disk'] as const) {
    const names = status.entries.filter((entry) => entry.state === state).map((entry) => entry.name);
    if (names.length === 0) continue;
    parts.push(state === 'applied' ? `${names.length} applied` : `${names.length} ${state} (${names.join(', ')})`);
  }
  return parts.length > 0 ? parts.join(', ') : 'no migrations found';
}
