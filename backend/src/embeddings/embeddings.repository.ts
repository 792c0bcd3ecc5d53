import { Injectable } from '@nestjs/common';

import { Prisma } from '../generated/prisma/client.js';
import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import type { NewEmbeddingChunk, SimilarChunk, VectorMetric } from './embedding-chunk.js';
import { toVectorParam, type VectorEncoding } from './vector-param.js';

/** Rows per INSERT statement: 12 parameters each, well under PostgreSQL's 65535 bind limit. */
const INSERT_BATCH = 500;

/** Inserts chunk embeddings inside the caller's tenant transaction. */
export async function insertEmbeddings(
  tx: TenantTransaction,
  tenantId: string,
  chunks: readonly NewEmbeddingChunk[],
  encoding: VectorEncoding,
): Promise<number> {
  let inserted = 0;
  for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
    const rows = chunks.slice(i, i + INSERT_BATCH).map(
      (c) => Prisma.sql`(${tenantId}::uuid, ${c.knowledgeBaseId}::uuid, ${c.documentId}::uuid, ${c.position}, ${c.content},
        ${c.tokenCount}, ${c.pageNumber}, ${c.charStart}, ${c.charEnd}, ${c.contentHash}, ${c.model},
        ${toVectorParam(c.vector, encoding)}::vector)`,
    );
    inserted += await tx.$executeRaw`
      INSERT INTO embeddings (tenant_id, knowledge_base_id, document_id, position, content, token_count,
        page_number, char_start, char_end, content_hash, model, embedding_vector)
      VALUES ${Prisma.join(rows)}`;
  }
  return inserted;
}

const parseVectorText = (text: string): number[] => text.slice(1, -1).split(',').map(Number);

/** Stored vectors of this tenant's chunks embedded with `model`, by content hash, inside the caller's tenant transaction. */
export async function findReusableVectors(
  tx: TenantTransaction,
  tenantId: string,
  model: string,
  contentHashes: readonly string[],
): Promise<Map<string, number[]>> {
  const unique = [...new Set(contentHashes)];
  if (unique.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ content_hash: string; v: string }[]>`
    SELECT DISTINCT ON (content_hash) content_hash, embedding_vector::text AS v
      FROM embeddings
     WHERE tenant_id = ${tenantId}::uuid AND model = ${model} AND embedding_vector IS NOT NULL
       AND content_hash IN (${Prisma.join(unique)})`;
  return new Map(rows.map((r) => [r.content_hash, parseVectorText(r.v)]));
}

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
    return this.db.run(tenantId, (tx) => insertEmbeddings(tx, tenantId, chunks, this.db.vectorEncoding));
  }

  /** Nearest chunks to `vector` within the tenant, closest first, through the HNSW index. */
  async nearest(
    tenantId: string,
    vector: readonly number[],
    options: { limit: number; metric?: VectorMetric; efSearch?: number },
  ): Promise<SimilarChunk[]> {
    const literal = toVectorParam(vector, this.db.vectorEncoding);
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
