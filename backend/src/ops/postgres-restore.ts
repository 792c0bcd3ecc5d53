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

/** What `pg_restore --clean` would leave behind: a later migration's objects, which the backup predates. */
const newerObjectsMessage = (objects: string[]): string =>
  `the database holds ${objects.join(', ')}, which the backup does not: a migration newer than the backup created ` +
  `${objects.length === 1 ? 'it' : 'them'}, and a restore would leave ${objects.length === 1 ? 'it' : 'them'} behind, so that migration ` +
  'could not run again at the next start. Restore into a new, empty database instead (createdb, then point DATABASE_URL at it)';

/** The archive's tables, views, functions and types, as `kind name` (from `pg_restore --list`; functions by name). */
export function archiveObjects(toc: string): Set<string> {
  const objects = new Set<string>();
  for (const match of toc.matchAll(/^\d+; \d+ \d+ (TABLE|VIEW|FUNCTION|TYPE) public ([^\s(]+)/gm)) objects.add(`${(match[1] ?? '').toLowerCase()} ${match[2] ?? ''}`);
  return objects;
}

/** The same kinds of object in the database's public schema, those of extensions (pgvector's) and row types left out. */
async function databaseObjects(query: DatabaseEngine['query']): Promise<string[]> {
  const rows = await query<{ object: string }>(`
    SELECT (CASE c.relkind WHEN 'v' THEN 'view' ELSE 'table' END) || ' ' || c.relname AS object
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v')
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
    UNION
    SELECT 'function ' || p.proname
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname = 'public'
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
    UNION
    SELECT 'type ' || t.typname
      FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
     WHERE n.nspname = 'public' AND t.typrelid = 0 AND t.typelem = 0
       AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
    ORDER BY 1`);
  return rows.map((row) => row.object);
}

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
  const archived = archiveObjects(await runPgTool(pgRestore, ['--list', file], {}));
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
    const newer = (await databaseObjects(session.query)).filter((object) => !archived.has(object));
    if (newer.length > 0) throw new OpsError(newerObjectsMessage(newer));
    const created = await ensureClusterRoles(session);
    if (created.length > 0) notes.push(`created the cluster roles ${created.join(', ')} (not carried by a pg_dump)`);
  });
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
