import { existsSync } from 'node:fs';

import { ConfigurationError, loadAppConfig } from './config/load-app-config.js';
import { openDatabaseEngine } from './database/open-database-engine.js';
import { runMigrations } from './database/migrations/migration-runner.js';
import { embeddedState, inUseMessage } from './ops/ops-database.js';

/** `nx run backend:migrate`: applies pending migrations to the configured database and exits. */
async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = loadAppConfig(process.env);
  // a server holding the embedded directory: a second process opening it would corrupt it
  const { database } = config;
  if (database.engine === 'pglite' && !database.dataDir.startsWith('memory://') && embeddedState(database.dataDir) === 'in-use') {
    throw new Error(inUseMessage(database.dataDir));
  }
  const engine = await openDatabaseEngine(config.database, (err) => console.error(err.message));
  try {
    const where = config.database.engine === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : `PGlite at ${config.database.dataDir}`;
    console.log(`migrating ${where} from ${config.migrations.dir}`);
    const report = await runMigrations(engine, config.migrations.dir, (message) => console.log(message));
    console.log(`${report.applied.length} applied, ${report.alreadyApplied.length} already up to date`);
  } finally {
    await engine.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigurationError || error instanceof Error ? error.message : error);
  process.exit(1);
});
