import { assertTenantId } from '../database/assert-tenant-id.js';
import type { DatabaseEngine, SqlSession } from '../database/database-engine.js';
import { TENANT_ROLE } from '../database/tenant-database.js';
import { toNumber } from './format.js';

export interface TenantStats {
  tenantId: string;
  slug: string;
  knowledgeBases: number;
  documents: number;
  /** Sum of the documents' byte sizes (what the stored-bytes quota counts). */
  documentBytes: number;
  embeddings: number;
}

/**
 * One tenant's counts, read the way the service reads a tenant's data: in a transaction pinned to
 * the tenant (`app.tenant_id`) under the `bb_tenant` role, so row-level security (forced on the
 * tenant tables, and the ops login owns them) admits exactly this tenant's rows, whether or not the
 * login is a superuser.
 */
async function countTenant(session: SqlSession, tenantId: string): Promise<Omit<TenantStats, 'tenantId' | 'slug'>> {
  assertTenantId(tenantId);
  await session.exec('BEGIN READ ONLY');
  try {
    await session.query("SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)", [tenantId, TENANT_ROLE]);
    const [row] = await session.query<Record<string, unknown>>(
      `SELECT (SELECT count(*) FROM knowledge_bases WHERE tenant_id = $1) AS knowledge_bases,
              (SELECT count(*) FROM documents WHERE tenant_id = $1) AS documents,
              (SELECT coalesce(sum(byte_size), 0) FROM documents WHERE tenant_id = $1) AS document_bytes,
              (SELECT count(*) FROM embeddings WHERE tenant_id = $1) AS embeddings`,
      [tenantId],
    );
    await session.exec('COMMIT');
    return {
      knowledgeBases: toNumber(row?.['knowledge_bases']),
      documents: toNumber(row?.['documents']),
      documentBytes: toNumber(row?.['document_bytes']),
      embeddings: toNumber(row?.['embeddings']),
    };
  } catch (error) {
    await session.exec('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Every tenant (the tenants table has no row-level security) with its counts, by slug. */
export async function readTenantStats(engine: DatabaseEngine): Promise<TenantStats[]> {
  return engine.withSession(async (session) => {
    const tenants = await session.query<{ id: string; slug: string }>('SELECT id::text AS id, slug FROM tenants ORDER BY slug');
    const stats: TenantStats[] = [];
    for (const tenant of tenants) stats.push({ tenantId: tenant.id, slug: tenant.slug, ...(await countTenant(session, tenant.id)) });
    return stats;
  });
}
