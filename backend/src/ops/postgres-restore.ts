import type { DatabaseEngine } from '../database/database-engine.js';
import { ensureClusterRoles } from './cluster-roles.js';
import { toNumber } from './format.js';
import { serverApplicationName } from './ops-database.js';
import { OpsError } from './ops-error.js';
import { findPgTool, libpqConnection, runPgTool } from './pg-tools.js';
import { serverMajorVersion } from './postgres-backup.js';


/** Tenants in the database (every tenant-owned row belongs to one), or 0 when it has no tenants table yet. */
export async function countTenants(query: DatabaseEngine['query']): Promise<number> {
  const [table] = await query<{ present: boolean }>("SELECT to_regclass('tenants') IS NOT NULL AS present");
  if (!table?.present) return 0;
  const [row] = await query<{ count: unknown }>('SELECT count(*) AS count FROM tenants');
  return toNumber(row?.count);
}

export const nonEmptyMessage = (tenants: number): string =>
  `the target database is not empty (${tenants} tenant${tenants === 1 ? '' : 's'}): restoring replaces everything in it; pass --force to do that`;

/**
 * `pg_restore --clean --if-exists --single-transaction`: the archive's objects dropped and
 * recreated and its rows loaded in one transaction, so a failure at any point (a truncated file, a
 * missing role, a full disk) rolls back to the database as it was. Objects are owned by the
 * restoring login (`--no-owner`: the service's login, which the migrations ran as); comments are
 * left out (`COMMENT ON EXTENSION` needs the extension's owner, a superuser).
 */
export async function restorePostgres(engine: DatabaseEngine, databaseUrl: string, file: string, force: boolean, pgBinDir?: string): Promise<string[]> {
  const notes: string[] = [];
  const serverMajor = await serverMajorVersion(engine);
  const pgRestore = await findPgTool('pg_restore', serverMajor, pgBinDir);
  await engine.withSession(async (session) => {
    // a server's pool holds connections while it serves (they close after DATABASE_IDLE_TIMEOUT_MS idle)
    const [servers] = await session.query<{ count: unknown }>(
      `SELECT count(*) AS count FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name = $1`,
      [serverApplicationName(databaseUrl)],
    );
    const running = toNumber(servers?.count);
    if (running > 0) throw new OpsError(`${running} connection(s) of a running Business Brain server use this database: stop every server first, then restore`);
    const tenants = await countTenants(session.query);
    if (tenants > 0 && !force) throw new OpsError(nonEmptyMessage(tenants));
    const created = await ensureClusterRoles(session);
    if (created.length > 0) notes.push(`created the cluster roles ${created.join(', ')} (not carried by a pg_dump)`);
  });
  await runPgTool(pgRestore, ['--list', file], {});
  const connection = libpqConnection(databaseUrl);
  await runPgTool(
    pgRestore,
    ['--clean', '--if-exists', '--single-transaction', '--exit-on-error', '--no-owner', '--no-comments', '--no-password', connection.dbnameArg, file],
    connection.env,
  );
  notes.push(...(await markSearchFunctionLeakproof(engine)));
  return notes;
}

/**
 * The search migration marks ts_match_vq LEAKPROOF (so keyword search under row-level security can
 * use its GIN index). That mark lives in the server's catalog, not in the database's dump: put it
 * back when this login may (a superuser), else say how.
 */
async function markSearchFunctionLeakproof(engine: DatabaseEngine): Promise<string[]> {
  const [row] = await engine.query<{ superuser: boolean; leakproof: boolean }>(
    `SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS superuser,
            (SELECT proleakproof FROM pg_proc WHERE oid = 'ts_match_vq(tsvector, tsquery)'::regprocedure) AS leakproof`,
  );
  if (row?.leakproof) return [];
  if (row?.superuser) {
    await engine.exec('ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF');
    return ['marked ts_match_vq LEAKPROOF again (pg_dump does not carry changes to built-in functions)'];
  }
  return ['ts_match_vq is not LEAKPROOF on this server: keyword search works but reads every chunk of a tenant; a superuser can run ALTER FUNCTION ts_match_vq(tsvector, tsquery) LEAKPROOF'];
}
