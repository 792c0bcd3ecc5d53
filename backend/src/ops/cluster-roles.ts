import type { SqlSession } from '../database/database-engine.js';
import { TENANT_ROLE } from '../database/tenant-database.js';
import { QUEUE_WORKER_ROLE } from '../ingestion/ingestion-jobs.repository.js';
import { OpsError } from './ops-error.js';

/**
 * The roles row-level security works through (created by the migrations) are cluster-wide, so a
 * pg_dump of one database does not carry them, while its GRANTs and policies name them. Before a
 * restore they are created when missing, as the migrations create them, and the restoring login
 * made a member (it must be able to SET ROLE to them, as the service does).
 */
export async function ensureClusterRoles(session: SqlSession): Promise<string[]> {
  const created: string[] = [];
  for (const [role, attributes] of [
    [TENANT_ROLE, 'NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE'],
    [QUEUE_WORKER_ROLE, 'NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT'],
  ] as const) {
    const [exists] = await session.query<{ exists: boolean }>('SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists', [role]);
    try {
      if (!exists?.exists) {
        await session.exec(`CREATE ROLE "${role}" ${attributes}`);
        created.push(role);
      }
      const [member] = await session.query<{ member: boolean }>("SELECT pg_has_role(current_user, $1, 'MEMBER') AS member", [role]);
      if (!member?.member) await session.exec(`GRANT "${role}" TO CURRENT_USER`);
    } catch (error) {
      throw new OpsError(
        `the role ${role} (cluster-wide, so not in the backup) is missing or not granted to this login, and this login cannot fix that ` +
          `(${error instanceof Error ? error.message : String(error)}): have a superuser run CREATE ROLE "${role}" ${attributes}; ` +
          `GRANT "${role}" TO <the service's login>; then retry`,
      );
    }
  }
  return created;
}
