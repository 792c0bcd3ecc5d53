import { resolve } from 'node:path';

import { defaultBackupFile } from './backup-file.js';
import { formatBytes } from './format.js';
import { runOpsCommand } from './ops-command.js';
import { describeDatabase, openOpsDatabase } from './ops-database.js';
import { pgBinDir } from './pg-tools.js';
import { backupPglite } from './pglite-backup.js';
import { backupPostgres, type BackupResult } from './postgres-backup.js';

/**
 * `nx run backend:backup [-- --file PATH] [--force]`: a consistent dump of the configured database
 * to one file (default backups/business-brain-<engine>-<UTC time>.dump|.tar.gz; an existing file
 * is replaced only with --force).
 */
runOpsCommand(['file', 'force'], async ({ config, args }) => {
  const database = config.database;
  const file = args.file ?? defaultBackupFile(database.engine);
  console.log(`backing up ${describeDatabase(database)} to ${resolve(file)}`);
  const started = performance.now();
  let result: BackupResult;
  if (database.engine === 'postgres') {
    const engine = await openOpsDatabase(database);
    try {
      result = await backupPostgres(engine, database.url, file, args.force, pgBinDir(process.env));
    } finally {
      await engine.close();
    }
  } else {
    result = await backupPglite(database.dataDir, file, args.force);
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  console.log(`backup: OK: ${file}, ${formatBytes(result.bytes)} (${result.detail}) in ${seconds} s`);
  return 0;
});
