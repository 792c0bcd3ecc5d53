import { statSync, writeFileSync } from 'node:fs';

import { PGlite } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';

import { writeAtomically } from './backup-file.js';
import { assertEmbeddedClosed } from './ops-database.js';
import type { BackupResult } from './postgres-backup.js';

/**
 * PGlite's own dump of its data directory (`dumpDataDir`: a gzipped tarball of PGDATA), taken with
 * the database closed to every other process (a server holding it is refused) and checkpointed
 * first, so the files are consistent on their own. The tarball is built in memory: plan on as
 * much free memory as the data directory's size.
 */
export async function backupPglite(dataDir: string, file: string, force: boolean): Promise<BackupResult> {
  assertEmbeddedClosed(dataDir);
  const db = await PGlite.create(dataDir, { extensions: { vector } });
  let detail = '';
  try {
    await db.exec('CHECKPOINT');
    const [version] = (await db.query<{ version: string }>("SELECT current_setting('server_version') AS version")).rows;
    const tarball = new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
    await writeAtomically(file, force, (partial) => Promise.resolve(writeFileSync(partial, tarball)));
    detail = `PGlite data directory (PostgreSQL ${version?.version ?? '?'}), gzipped tarball`;
  } finally {
    await db.close();
  }
  return { bytes: statSync(file).size, detail };
}
