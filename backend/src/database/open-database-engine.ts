import type { DatabaseConfig } from '../config/app-config.js';
import type { DatabaseEngine } from './database-engine.js';
import { createPgliteEngine } from './pglite-engine.js';
import { createPostgresEngine } from './postgres-engine.js';

export async function openDatabaseEngine(config: DatabaseConfig, onPoolError: (err: Error) => void): Promise<DatabaseEngine> {
  return config.engine === 'postgres' ? createPostgresEngine(config, onPoolError) : createPgliteEngine(config.dataDir);
}
