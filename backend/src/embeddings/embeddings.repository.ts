import { Injectable } from '@nestjs/common';

import { Prisma } from '../generated/prisma/client.js';
import { TenantDatabase } from '../database/tenant-database.js';
import type { NewEmbeddingChunk, SimilarChunk, VectorMetric } from './embedding-chunk.js';
import { toVectorLiteral } from './vector-literal.js';

interface SimilarRow {
  id: string;
  knowledge_base_id: string;
  document_id: string;
  position: number;
  content: string;
  distance: number;
}

/**
 * Chunk embeddings, in raw SQL because Prisma cannot type the pgvector column. Every method takes
 * the tenant id first and runs inside that tenant's row-level-security transaction.
 */
@Injectable()
export class EmbeddingsRepository {
  constructor(private readonly db: TenantDatabase) {}

  async insertMany(tenantId: string, chunks: readonly NewEmbeddingChunk[]): Promise<number> {
    if (chunks.length === 0) return 0;
    const rows = chunks.map(
      (c) => Prisma.sql`(${tenantId}::uuid, ${c.knowledgeBaseId}::uuid, ${c.documentId}::uuid, ${c.position}, ${c.content},
        ${c.tokenCount}, ${c.pageNumber}, ${c.charStart}, ${c.charEnd}, ${c.contentHash}, ${c.model},
        ${toVectorLiteral(c.vector)}::vector)`,
    );
    return this.db.run(tenantId, (tx) =>
      tx.$executeRaw`
        INSERT INTO embeddings (tenant_id, knowledge_base_id, document_id, position, content, token_count,
          page_number, char_start, char_end, content_hash, model, embedding_vector)
        VALUES ${Prisma.join(rows)}`,
    );
  }

  /** Nearest chunks to `vector` within the tenant, closest first, through the HNSW index. */
  async nearest(
    tenantId: string,
    vector: readonly number[],
    options: { limit: number; metric?: VectorMetric; efSearch?: number },
  ): Promise<SimilarChunk[]> {
    const literal = toVectorLiteral(vector);
    const limit = Math.min(Math.max(Math.trunc(options.limit), 1), 1000);
    const efSearch = Math.min(Math.max(Math.trunc(options.efSearch ?? Math.max(40, limit * 2)), 1), 1000);
    const operator = options.metric === 'l2' ? Prisma.raw('<->') : Prisma.raw('<=>');
    const rows = await this.db.run(tenantId, async (tx) => {
      // SET LOCAL cannot take a bind parameter; the value is a clamped integer.
      await tx.$executeRawUnsafe(`SET LOCAL hnsw.ef_search = ${efSearch}`);
      return tx.$queryRaw<SimilarRow[]>`
        SELECT id::text, knowledge_base_id::text, document_id::text, position, content,
               (embedding_vector ${operator} ${literal}::vector)::float8 AS distance
          FROM embeddings
         WHERE tenant_id = ${tenantId}::uuid AND embedding_vector IS NOT NULL
         ORDER BY embedding_vector ${operator} ${literal}::vector
         LIMIT ${limit}`;
    });
    return rows.map((r) => ({
      id: r.id,
      knowledgeBaseId: r.knowledge_base_id,
      documentId: r.document_id,
      position: r.position,
      content: r.content,
      distance: Number(r.distance),
    }));
  }

  async countForKnowledgeBase(tenantId: string, knowledgeBaseId: string): Promise<number> {
    return this.db.run(tenantId, (tx) => tx.embedding.count({ where: { tenantId, knowledgeBaseId } }));
  }
}
