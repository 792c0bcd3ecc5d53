import { existsSync } from 'node:fs';
import { join } from 'node:path';

import type { DatabaseConfig } from '../config/app-config.js';
import type { DatabaseEngine } from '../database/database-engine.js';
import { openDatabaseEngine } from '../database/open-database-engine.js';
import { OpsError } from './ops-error.js';

/** Where the data is, for messages: never the password. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.engine === 'pglite') return `PGlite at ${config.dataDir}`;
  try {
    const url = new URL(config.url);
    const user = url.username ? ` as ${decodeURIComponent(url.username)}` : '';
    return `PostgreSQL ${url.hostname || 'localhost'}:${url.port || '5432'}${url.pathname}${user}`;
  } catch {
    return 'PostgreSQL (DATABASE_URL)';
  }
}

export type EmbeddedState = 'missing' | 'in-use' | 'closed';

/**
 * An embedded database is a directory that one process at a time may open: PGlite takes no lock,
 * and a second process opening it while a server runs would corrupt it. PostgreSQL's
 * `postmaster.pid` is there from open to close, so its presence means a server holds the
 * directory (or the last one stopped without closing it).
 */
export function embeddedState(dataDir: string): EmbeddedState {
  if (dataDir.startsWith('memory://')) throw new OpsError('DATA_DIR=memory:// keeps the database in the server\'s memory: there is nothing on disk to work on');
  if (!existsSync(join(dataDir, 'PG_VERSION'))) return 'missing';
  return existsSync(join(dataDir, 'postmaster.pid')) ? 'in-use' : 'closed';
}

export const inUseMessage = (dataDir: string): string =>
  `the embedded database at ${dataDir} is open (postmaster.pid is present): stop the server using it first, ` +
  'since two processes on one PGlite directory corrupt it. If no server is running, the last one stopped without ' +
  'closing the database: start the server once and stop it with Ctrl+C, then retry.';

/** The embedded directory exists and no process has it open; else an `OpsError` saying why not. */
export function assertEmbeddedClosed(dataDir: string): void {
  const state = embeddedState(dataDir);
  if (state === 'missing') throw new OpsError(`there is no embedded database at ${dataDir} (DATA_DIR): start the server once or run \`npx nx run backend:migrate\``);
  if (state === 'in-use') throw new OpsError(inUseMessage(dataDir));
}

/** How the ops commands' PostgreSQL connections name themselves in pg_stat_activity. */
export const OPS_APPLICATION_NAME = 'business-brain ops';

/** The name a server's pool gives its connections: postgres-engine.ts's, unless DATABASE_URL sets one. */
export function serverApplicationName(databaseUrl: string): string {
  return new URL(databaseUrl).searchParams.get('application_name') ?? 'business-brain';
}

/**
 * The configured database, opened exactly as the server opens it (same engine code, same
 * settings), its PostgreSQL connections named apart from the servers'. Never creates an embedded
 * database, and refuses one that a server has open.
 */
export async function openOpsDatabase(config: DatabaseConfig): Promise<DatabaseEngine> {
  const onPoolError = (error: Error): void => console.error(`database connection error: ${error.message}`);
  if (config.engine === 'pglite') {
    assertEmbeddedClosed(config.dataDir);
    return openDatabaseEngine(config, onPoolError);
  }
  const url = new URL(config.url);
  // node-postgres takes the URL's parameters over its options
  url.searchParams.set('application_name', OPS_APPLICATION_NAME);
  return openDatabaseEngine({ ...config, url: url.toString() }, onPoolError);
}
