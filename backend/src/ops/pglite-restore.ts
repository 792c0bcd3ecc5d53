import { randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';

import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

import { OpsError } from './ops-error.js';
import { embeddedState, inUseMessage } from './ops-database.js';
import { countTenants, nonEmptyMessage } from './postgres-restore.js';

const openPglite = (dataDir: string, loadDataDir?: Blob): Promise<PGlite> => PGlite.create(dataDir, { extensions: { vector }, ...(loadDataDir ? { loadDataDir } : {}) });

async function tenantsIn(db: PGlite): Promise<number> {
  return countTenants(async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => (await db.query<T>(sql, params)).rows);
}

/**
 * Restores a `backupPglite` tarball without ever leaving a half-restored database: the tarball is
 * checked whole (gzip's CRC and length), loaded into a new directory beside the data directory
 * and opened there; only then are the directories swapped (two renames on one file system). Until
 * the swap the data directory is untouched; after it the previous one is deleted.
 */
export async function restorePglite(dataDir: string, file: string, force: boolean): Promise<string[]> {
  const state = embeddedState(dataDir);
  if (state === 'in-use') throw new OpsError(inUseMessage(dataDir));
  if (state === 'closed') {
    const current = await openPglite(dataDir);
    let tenants: number;
    try {
      tenants = await tenantsIn(current);
    } finally {
      await current.close();
    }
    if (tenants > 0 && !force) throw new OpsError(nonEmptyMessage(tenants));
  }

  try {
    // decompressed and dropped as it streams: gzip's CRC and length trailer catch a damaged or cut file
    await pipeline(createReadStream(file), createGunzip(), new Writable({ write: (_chunk, _encoding, done) => done() }));
  } catch (error) {
    throw new OpsError(`${file} is damaged or incomplete (${error instanceof Error ? error.message : String(error)}): nothing was changed`);
  }

  const gzipped = readFileSync(file);
  const suffix = `${Date.now()}-${randomBytes(3).toString('hex')}`;
  const staging = `${dataDir}.restoring-${suffix}`;
  mkdirSync(dirname(dataDir), { recursive: true });
  let restoredTenants: number;
  try {
    const restored = await openPglite(staging, new Blob([gzipped], { type: 'application/gzip' }));
    try {
      restoredTenants = await tenantsIn(restored);
      await restored.exec('CHECKPOINT');
    } finally {
      await restored.close();
    }
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw new OpsError(`the backup could not be loaded (${error instanceof Error ? error.message : String(error)}): nothing was changed`);
  }

  const previous = existsSync(dataDir) ? `${dataDir}.replaced-${suffix}` : null;
  if (previous) renameSync(dataDir, previous);
  try {
    renameSync(staging, dataDir);
  } catch (error) {
    if (previous) renameSync(previous, dataDir);
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  if (previous) rmSync(previous, { recursive: true, force: true });
  return [`loaded ${restoredTenants} tenant${restoredTenants === 1 ? '' : 's'} into ${dataDir}${previous ? ' (the previous data directory was replaced)' : ''}`];
}
