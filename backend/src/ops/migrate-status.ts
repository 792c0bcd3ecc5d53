import { readMigrationFiles } from '../database/migrations/migration-files.js';
import { formatTable } from './format.js';
import { readMigrationStatus, summarizeMigrations, type MigrationStatus, type MigrationStatusEntry } from './migration-status.js';
import { runOpsCommand } from './ops-command.js';
import { describeDatabase, embeddedState, openOpsDatabase } from './ops-database.js';

const NOTE: Record<MigrationStatusEntry['state'], (entry: MigrationStatusEntry) => string> = {
  applied: (e) => `applied ${e.at?.toISOString() ?? ''}`,
  pending: () => 'not applied yet',
  changed: (e) =>
    `file changed after it was applied ${e.at?.toISOString() ?? ''} (recorded ${e.recordedChecksum?.slice(0, 12) ?? ''}…, file ${e.fileChecksum?.slice(0, 12) ?? ''}…): restore the file, put the change in a new migration`,
  unfinished: (e) => `started ${e.at?.toISOString() ?? ''} and never finished: repair by hand, then delete its row from _prisma_migrations`,
  'not-on-disk': () => 'recorded in the database, missing from the migrations directory',
};

/**
 * `nx run backend:migrate:status`: each migration applied, pending, changed (checksum differs from
 * the one recorded) or unfinished; exit 1 when any is pending, changed or unfinished.
 */
runOpsCommand([], async ({ config }) => {
  const database = config.database;
  console.log(`migrations in ${config.migrations.dir}, database ${describeDatabase(database)}`);
  let status: MigrationStatus;
  if (database.engine === 'pglite' && embeddedState(database.dataDir) === 'missing') {
    // no database yet: nothing is applied, and opening it here would create one
    const entries = readMigrationFiles(config.migrations.dir).map((file) => ({ name: file.name, state: 'pending' as const }));
    status = { entries, problems: entries };
  } else {
    const engine = await openOpsDatabase(database);
    try {
      status = await readMigrationStatus(engine, config.migrations.dir);
    } finally {
      await engine.close();
    }
  }
  const label = (entry: MigrationStatusEntry): string => (entry.state === 'applied' ? 'applied' : entry.state.toUpperCase());
  console.log(formatTable(['state', 'migration', 'note'], status.entries.map((entry) => [label(entry), entry.name, NOTE[entry.state](entry)])));
  const advice = status.problems.some((e) => e.state === 'pending') ? ' (apply with: npx nx run backend:migrate)' : '';
  console.log(`migrate:status: ${status.problems.length === 0 ? 'OK' : 'NOT UP TO DATE'}: ${summarizeMigrations(status)}${advice}`);
  return status.problems.length === 0 ? 0 : 1;
});
