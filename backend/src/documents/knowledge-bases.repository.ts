import { Injectable } from '@nestjs/common';

import { assertTenantId } from '../database/assert-tenant-id.js';
import type { TenantTransaction } from '../database/tenant-database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { EntryMetadata, KnowledgeEntryRow, KnowledgeFilters } from './document-rows.js';
import { entryPageSql, toEntryPage, type EntryPageRow } from './entry-page.sql.js';

type EntryWithCount = Prisma.KnowledgeBaseGetPayload<{ include: { _count: { select: { documents: true } } } }>;

/**
 * The one writer of `knowledge_bases` (knowledge entries). Every method runs in the caller's
 * tenant transaction and takes the tenant id, which it also filters on explicitly.
 */
@Injectable()
export class KnowledgeBasesRepository {
  /** A page of entries, newest first, and how many match in all (one statement: see entry-page.sql.ts). */
  async list(tx: TenantTransaction, tenantId: string, filters: KnowledgeFilters): Promise<{ rows: KnowledgeEntryRow[]; total: number }> {
    assertTenantId(tenantId);
    return toEntryPage(await tx.$queryRaw<EntryPageRow[]>(entryPageSql(tenantId, filters)));
  }

  /** The entry with its document and chunk counts, or null. */
  async find(tx: TenantTransaction, tenantId: string, id: string): Promise<KnowledgeEntryRow | null> {
    assertTenantId(tenantId);
    const row = await tx.knowledgeBase.findFirst({ where: { tenantId, id }, include: { _count: { select: { documents: true } } } });
    if (!row) return null;
    const chunks = await this.chunkCounts(tx, tenantId, [id]);
    return toEntryRow(row, chunks.get(id) ?? 0);
  }

  /** The entries of `ids` that exist, with their document and chunk counts: a fixed number of statements however many. */
  async findMany(tx: TenantTransaction, tenantId: string, ids: readonly string[]): Promise<KnowledgeEntryRow[]> {
    assertTenantId(tenantId);
    if (ids.length === 0) return [];
    const rows = await tx.knowledgeBase.findMany({ where: { tenantId, id: { in: [...ids] } }, include: { _count: { select: { documents: true } } } });
    const chunks = await this.chunkCounts(tx, tenantId, rows.map((r) => r.id));
    return rows.map((row) => toEntryRow(row, chunks.get(row.id) ?? 0));
  }

  async exists(tx: TenantTransaction, tenantId: string, id: string): Promise<boolean> {
    assertTenantId(tenantId);
    return (await tx.knowledgeBase.findFirst({ where: { tenantId, id }, select: { id: true } })) !== null;
  }

  /** Creates an entry; its status follows its documents from then on (`refreshStatus`). */
  async create(tx: TenantTransaction, tenantId: string, metadata: EntryMetadata): Promise<string> {
    assertTenantId(tenantId);
    const entry = await tx.knowledgeBase.create({ data: { tenantId, ...metadata, status: 'ready' }, select: { id: true } });
    return entry.id;
  }

  /** False when there is no such entry. */
  async update(tx: TenantTransaction, tenantId: string, id: string, patch: Partial<EntryMetadata>): Promise<boolean> {
    assertTenantId(tenantId);
    return (await tx.knowledgeBase.updateMany({ where: { tenantId, id }, data: patch })).count > 0;
  }

  /** Deletes the entry; its documents, jobs and embeddings go with it (ON DELETE CASCADE). */
  async delete(tx: TenantTransaction, tenantId: string, id: string): Promise<boolean> {
    assertTenantId(tenantId);
    return (await tx.knowledgeBase.deleteMany({ where: { tenantId, id } })).count > 0;
  }

  /** Recomputes the entry's stored status from its documents (see entry-status.ts). */
  async refreshStatus(tx: TenantTransaction, tenantId: string, id: string): Promise<void> {
    assertTenantId(tenantId);
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
            FROM documents WHERE tenant_id = ${tenantId}::uuid AND knowledge_base_id = ${id}::uuid
        ) s
       WHERE kb.tenant_id = ${tenantId}::uuid AND kb.id = ${id}::uuid AND kb.status IS DISTINCT FROM s.status`);
  }

  /** Chunks per entry: the sum of its documents' `chunk_count` (each set with its chunks), not a count over embeddings. */
  private async chunkCounts(tx: TenantTransaction, tenantId: string, ids: string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const sums = await tx.document.groupBy({
      by: ['knowledgeBaseId'],
      where: { tenantId, knowledgeBaseId: { in: ids } },
      _sum: { chunkCount: true },
    });
    return new Map(sums.map((s) => [s.knowledgeBaseId, s._sum.chunkCount ?? 0]));
  }
}

const toEntryRow = (row: EntryWithCount, chunkCount: number): KnowledgeEntryRow => ({
  id: row.id,
  title: row.title,
  type: row.type,
  intent: row.intent,
  tags: row.tags,
  status: row.status,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  documentCount: row._count.documents,
  chunkCount,
});
