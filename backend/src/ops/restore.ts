import { resolve } from 'node:path';

import { assertRestorable } from './backup-file.js';
import { readMigrationStatus, summarizeMigrations } from './migration-status.js';
import { OpsError } from './ops-error.js';
import { runOpsCommand } from './ops-command.js';
import { describeDatabase, openOpsDatabase } from './ops-database.js';
import { pgBinDir } from './pg-tools.js';
import { restorePglite } from './pglite-restore.js';
import { restorePostgres } from './postgres-restore.js';

/**
 * `nx run backend:restore -- --file PATH [--force]`: replaces the configured database with a
 * backup, all or nothing. Refuses a database that holds tenants unless --force, and a database a
 * running server uses. Stop the servers first; start them after (the migrations then apply any
 * that are newer than the backup).
 */
runOpsCommand(['file', 'force'], async ({ config, args }) => {
  const database = config.database;
  if (!args.file) throw new OpsError('which backup? pass --file PATH (or set BACKUP_FILE)');
  assertRestorable(args.file, database.engine);
  console.log(`restoring ${resolve(args.file)} into ${describeDatabase(database)}`);
  const started = performance.now();
  let notes: string[];
  if (database.engine === 'postgres') {
    const engine = await openOpsDatabase(database);
    try {
      notes = await restorePostgres(engine, database.url, args.file, args.force, pgBinDir(process.env));
    } finally {
      await engine.close();
    }
  } else {
    notes = await restorePglite(database.dataDir, args.file, args.force);
  }
  const engine = await openOpsDatabase(database);
  try {
    const status = await readMigrationStatus(engine, config.migrations.dir);
    const advice = status.problems.length > 0 ? ' (the server applies pending ones at start; see npx nx run backend:migrate:status)' : '';
    notes.push(`migrations: ${summarizeMigrations(status)}${advice}`);
  } finally {
    await engine.close();
  }
  for (const note of notes) console.log(`  ${note}`);
  console.log(`restore: OK in ${((performance.now() - started) / 1000).toFixed(1)} s (check it: npx nx run backend:verify, npx nx run backend:db:stats)`);
  return 0;
});
