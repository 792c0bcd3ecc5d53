import { Prisma } from '../generated/prisma/client.js';
import type { TenantTransaction } from '../database/tenant-database.js';

/**
 * An entry's status, derived from its documents and stored so lists can filter on it:
 * `processing` while any document is queued or processing (`queued` while all of them wait),
 * `ready` when all are ready (or there are none), `failed` when all failed, `partial` for a mix
 * of ready and failed.
 */
export const ENTRY_STATUSES = ['queued', 'processing', 'ready', 'failed', 'partial'] as const;
export const DOCUMENT_STATUSES = ['queued', 'processing', 'ready', 'failed'] as const;

export async function refreshEntryStatus(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string): Promise<void> {
  await tx.$executeRaw(Prisma.sql`
    UPDATE knowledge_bases kb SET status = s.status, updated_at = now()
      FROM (
        SELECT CASE
                 WHEN count(*) = 0 THEN 'ready'
                 WHEN count(*) FILTER (WHERE status = 'queued') = count(*) THEN 'queued'
                 WHEN count(*) FILTER (WHERE status IN ('queued', 'processing')) > 0 THEN 'processing'
                 WHEN count(*) FILTER (WHERE status = 'ready') = count(*) THEN 'ready'
                 WHEN count(*) FILTER (WHERE status = 'failed') = count(*) THEN 'failed'
                 ELSE 'partial'
               END AS status
          FROM documents WHERE tenant_id = ${tenantId}::uuid AND knowledge_base_id = ${knowledgeBaseId}::uuid
      ) s
     WHERE kb.tenant_id = ${tenantId}::uuid AND kb.id = ${knowledgeBaseId}::uuid AND kb.status IS DISTINCT FROM s.status`);
}
