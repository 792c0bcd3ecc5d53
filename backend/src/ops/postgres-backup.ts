import { statSync } from 'node:fs';

import type { DatabaseEngine } from '../database/database-engine.js';
import { writeAtomically } from './backup-file.js';
import { toNumber } from './format.js';
import { findPgTool, libpqConnection, runPgTool } from './pg-tools.js';

export interface BackupResult {
  bytes: number;
  detail: string;
}

export async function serverMajorVersion(engine: DatabaseEngine): Promise<number> {
  const [row] = await engine.query<{ version: unknown }>("SELECT current_setting('server_version_num') AS version");
  return Math.floor(toNumber(row?.version) / 10000);
}

/**
 * `pg_dump --format=custom`: one consistent snapshot of the whole database (pg_dump reads it in a
 * single repeatable-read transaction, so writes going on meanwhile are either wholly in it or not
 * at all), compressed, restorable table by table. Checked readable with `pg_restore --list`
 * before it is put in place.
 */
export async function backupPostgres(engine: DatabaseEngine, databaseUrl: string, file: string, force: boolean, pgBinDir?: string): Promise<BackupResult> {
  const serverMajor = await serverMajorVersion(engine);
  const pgDump = await findPgTool('pg_dump', serverMajor, pgBinDir);
  const pgRestore = await findPgTool('pg_restore', serverMajor, pgBinDir);
  const connection = libpqConnection(databaseUrl);
  let entries = 0;
  await writeAtomically(file, force, async (partial) => {
    await runPgTool(pgDump, ['--format=custom', '--no-password', `--file=${partial}`, connection.dbnameArg], connection.env);
    const toc = await runPgTool(pgRestore, ['--list', partial], {});
    entries = toc.split('\n').filter((line) => / TABLE DATA /.test(line)).length;
  });
  return { bytes: statSync(file).size, detail: `pg_dump ${pgDump.version} of PostgreSQL ${serverMajor}, ${entries} tables with data` };
}
