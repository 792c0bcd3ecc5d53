import { Injectable } from '@nestjs/common';

import { TenantDatabase } from '../database/tenant-database.js';

export interface KnowledgeEntryRow {
  id: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  status: string;
  createdAt: Date;
  updatedAt: Date;
  documentCount: number;
  chunkCount: number;
}

/** Knowledge entries (`knowledge_bases`). Every method takes the tenant id first. */
@Injectable()
export class KnowledgeRepository {
  constructor(private readonly db: TenantDatabase) {}

  async list(tenantId: string, page: { limit: number; offset: number }): Promise<{ rows: KnowledgeEntryRow[]; total: number }> {
    return this.db.run(tenantId, async (tx) => {
      const where = { tenantId };
      const [total, rows] = await Promise.all([
        tx.knowledgeBase.count({ where }),
        tx.knowledgeBase.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: page.limit,
          skip: page.offset,
          include: { _count: { select: { documents: true, embeddings: true } } },
        }),
      ]);
      return {
        total,
        rows: rows.map(({ _count, tenantId: _tenant, ...row }) => ({
          ...row,
          documentCount: _count.documents,
          chunkCount: _count.embeddings,
        })),
      };
    });
  }
}
