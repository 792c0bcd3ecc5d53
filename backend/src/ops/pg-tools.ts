import { execFile, spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { OPS_APPLICATION_NAME } from './ops-database.js';
import { OpsError } from './ops-error.js';

const run = promisify(execFile);

export interface PgTool {
  name: 'pg_dump' | 'pg_restore';
  path: string;
  /** e.g. "15.20" */
  version: string;
  major: number;
}

/** PG_BIN_DIR: the folder of the PostgreSQL client tools to use, when not the ones on PATH. */
export function pgBinDir(env: Record<string, string | undefined>): string | undefined {
  const dir = env['PG_BIN_DIR']?.trim();
  if (!dir) return undefined;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new OpsError(`PG_BIN_DIR: ${dir} is not a directory`);
  return dir;
}

/**
 * `pg_dump` / `pg_restore` from PG_BIN_DIR (e.g. /usr/lib/postgresql/16/bin), else from PATH,
 * with its version. Either must be at least the server's major version: an older pg_dump refuses
 * a newer server, and an older pg_restore cannot read a newer archive.
 */
export async function findPgTool(name: PgTool['name'], serverMajor: number, binDir: string | undefined): Promise<PgTool> {
  const path = binDir ? join(binDir, name) : name;
  let output: string;
  try {
    output = (await run(path, ['--version'])).stdout;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new OpsError(
      `${path} ${code === 'ENOENT' ? 'not found' : 'does not run'}: install PostgreSQL ${serverMajor}'s client tools ` +
        `(Debian: apt-get install postgresql-client-${serverMajor}) or set PG_BIN_DIR to the folder holding ${name}`,
    );
  }
  const match = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?/.exec(output);
  if (!match?.[1]) throw new OpsError(`${path} --version answered "${output.trim()}": not PostgreSQL's ${name}`);
  const tool: PgTool = { name, path, version: match[2] ? `${match[1]}.${match[2]}` : match[1], major: Number(match[1]) };
  if (tool.major < serverMajor) {
    throw new OpsError(
      `${path} is version ${tool.version}, older than the server (PostgreSQL ${serverMajor}): install postgresql-client-${serverMajor} ` +
        `and set PG_BIN_DIR=/usr/lib/postgresql/${serverMajor}/bin (or wherever its ${name} is)`,
    );
  }
  return tool;
}

/** URI parameters libpq understands; others (node-postgres' own, Prisma's `schema`) would make it refuse the URI. */
const LIBPQ_PARAMETERS = new Set([
  'host', 'hostaddr', 'port', 'dbname', 'user', 'passfile', 'channel_binding', 'connect_timeout', 'client_encoding', 'options',
  'application_name', 'keepalives', 'keepalives_idle', 'keepalives_interval', 'keepalives_count', 'tcp_user_timeout', 'sslmode',
  'sslcompression', 'sslcert', 'sslkey', 'sslpassword', 'sslrootcert', 'sslcrl', 'sslcrldir', 'sslsni', 'requirepeer',
  'ssl_min_protocol_version', 'ssl_max_protocol_version', 'gssencmode', 'krbsrvname', 'gsslib', 'service', 'target_session_attrs',
]);

export interface LibpqConnection {
  /** `--dbname=<URI without the password>` */
  dbnameArg: string;
  /** PGPASSWORD when the URL has one: passed in the environment, never on the command line (visible in `ps`). */
  env: Record<string, string>;
}

export function libpqConnection(databaseUrl: string): LibpqConnection {
  const url = new URL(databaseUrl);
  const env: Record<string, string> = {};
  if (url.password) env['PGPASSWORD'] = decodeURIComponent(url.password);
  url.password = '';
  for (const key of [...url.searchParams.keys()]) {
    if (!LIBPQ_PARAMETERS.has(key)) url.searchParams.delete(key);
  }
  url.searchParams.set('application_name', OPS_APPLICATION_NAME);
  return { dbnameArg: `--dbname=${url.toString()}`, env };
}

/** Runs a PostgreSQL client tool; resolves with its stdout, or an `OpsError` with the tail of its stderr. */
export function runPgTool(tool: PgTool, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(tool.path, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child.on('error', (error) => reject(new OpsError(`${tool.name}: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (code === 0) resolve(Buffer.concat(stdout).toString());
      else reject(new OpsError(`${tool.name} failed (${signal ?? `exit code ${code}`}):\n${stderr.trim()}`));
    });
  });
}
