import { closeSync, existsSync, openSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { mkdirSync } from 'node:fs';

import type { DatabaseEngine } from '../database/database-engine.js';
import { OpsError } from './ops-error.js';

/** pg_dump's custom format (PostgreSQL) or PGlite's gzipped data directory tarball. */
export type BackupFormat = 'pg-custom' | 'pglite-tarball';

export const BACKUP_EXTENSION: Record<DatabaseEngine['kind'], string> = { postgres: '.dump', pglite: '.tar.gz' };
const FORMAT_OF: Record<DatabaseEngine['kind'], BackupFormat> = { postgres: 'pg-custom', pglite: 'pglite-tarball' };
const DESCRIBED: Record<BackupFormat, string> = {
  'pg-custom': 'a pg_dump archive (a PostgreSQL backup)',
  'pglite-tarball': 'a gzipped tarball (an embedded PGlite backup)',
};

/** `backups/business-brain-postgres-20261204-101500.dump` (UTC), relative to the working directory. */
export function defaultBackupFile(engine: DatabaseEngine['kind'], now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join('backups', `business-brain-${engine}-${stamp}${BACKUP_EXTENSION[engine]}`);
}

/** What a file holds, by its first bytes: "PGDMP" opens a custom-format archive, 1f 8b a gzip stream. */
export function backupFormatOf(file: string): BackupFormat | null {
  const head = Buffer.alloc(5);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, head, 0, head.length, 0);
  } finally {
    closeSync(fd);
  }
  if (head.toString('latin1') === 'PGDMP') return 'pg-custom';
  if (head[0] === 0x1f && head[1] === 0x8b) return 'pglite-tarball';
  return null;
}

/** The file to restore from: present, and a backup of the configured engine. */
export function assertRestorable(file: string, engine: DatabaseEngine['kind']): void {
  if (!existsSync(file) || !statSync(file).isFile()) throw new OpsError(`backup file not found: ${resolve(file)}`);
  const format = backupFormatOf(file);
  if (format === null) throw new OpsError(`${file} is not a Business Brain backup (neither a pg_dump archive nor a gzipped PGlite tarball)`);
  if (format !== FORMAT_OF[engine]) {
    const target = engine === 'postgres' ? 'PostgreSQL (DATABASE_URL is set)' : 'the embedded PGlite database (DATABASE_URL is unset)';
    throw new OpsError(`${file} is ${DESCRIBED[format]}, but the configured database is ${target}: a backup restores into the engine it was taken from`);
  }
}

/**
 * Writes a backup through `write(partialPath)` and renames it into place only once complete, so a
 * failed or interrupted backup never leaves a file that looks like one. Refuses to replace an
 * existing file unless `force`.
 */
export async function writeAtomically(file: string, force: boolean, write: (partial: string) => Promise<void>): Promise<void> {
  if (existsSync(file) && !force) throw new OpsError(`${file} exists already: choose another --file, or pass --force to replace it`);
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  try {
    await write(partial);
    renameSync(partial, file);
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
