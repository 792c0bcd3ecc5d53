import { Injectable } from '@nestjs/common';

import { assertTenantId } from '../database/assert-tenant-id.js';
import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { ChunkPage, ChunkRow, NewEmbeddingChunk, SimilarChunk, VectorMetric } from './embedding-chunk.js';
import { toVectorParam, type VectorEncoding } from './vector-param.js';

/** Rows per INSERT statement: 12 parameters each, well under PostgreSQL's 65535 bind limit. */
const INSERT_BATCH = 500;

const parseVectorText = (text: string): number[] => text.slice(1, -1).split(',').map(Number);

interface SimilarRow {
  id: string;
  knowledge_base_id: string;
  document_id: string;
  position: number;
  content: string;
  distance: number;
}

/**
 * The one door to the `embeddings` table (chunks and their vectors): every read and write of it
 * goes through here. Vector work is raw SQL because Prisma cannot type the pgvector column.
 * Every method takes the caller's tenant transaction (`TenantDatabase.run`) and the tenant id,
 * so row-level security and an explicit tenant filter both apply.
 */
@Injectable()
export class EmbeddingsRepository {
  /** How vectors travel as bound parameters: pgvector's binary format on PostgreSQL; text on PGlite, whose driver would send bytes as bytea. */
  private readonly encoding: VectorEncoding;

  constructor(db: TenantDatabase) {
    this.encoding = db.engine === 'postgres' ? 'binary' : 'text';
  }

  async insert(tx: TenantTransaction, tenantId: string, chunks: readonly NewEmbeddingChunk[]): Promise<number> {
    assertTenantId(tenantId);
    let inserted = 0;
    for (let i = 0; i < chunks.length; i += INSERT_BATCH) {
      const rows = chunks.slice(i, i + INSERT_BATCH).map(
        (c) => Prisma.sql`(${tenantId}::uuid, ${c.knowledgeBaseId}::uuid, ${c.documentId}::uuid, ${c.position}, ${c.content},
          ${c.tokenCount}, ${c.pageNumber}, ${c.charStart}, ${c.charEnd}, ${c.contentHash}, ${c.model},
          ${toVectorParam(c.vector, this.encoding)}::vector)`,
      );
      inserted += await tx.$executeRaw`
        INSERT INTO embeddings (tenant_id, knowledge_base_id, document_id, position, content, token_count,
          page_number, char_start, char_end, content_hash, model, embedding_vector)
        VALUES ${Prisma.join(rows)}`;
    }
    return inserted;
  }

  /** Removes a document's chunks (before storing a fresh set). */
  async deleteForDocument(tx: TenantTransaction, tenantId: string, documentId: string): Promise<number> {
    assertTenantId(tenantId);
    return (await tx.embedding.deleteMany({ where: { tenantId, documentId } })).count;
  }

  /** Stored vectors of this tenant's chunks embedded with `model`, by content hash. */
  async findReusableVectors(tx: TenantTransaction, tenantId: string, model: string, contentHashes: readonly string[]): Promise<Map<string, number[]>> {
    assertTenantId(tenantId);
    const unique = [...new Set(contentHashes)];
    if (unique.length === 0) return new Map();
    const rows = await tx.$queryRaw<{ content_hash: string; v: string }[]>`
      SELECT DISTINCT ON (content_hash) content_hash, embedding_vector::text AS v
        FROM embeddings
       WHERE tenant_id = ${tenantId}::uuid AND model = ${model} AND embedding_vector IS NOT NULL
         AND content_hash IN (${Prisma.join(unique)})`;
    return new Map(rows.map((r) => [r.content_hash, parseVectorText(r.v)]));
  }

  /** Embedding models this tenant's stored chunks use other than `model` (at most a few). */
  async otherModels(tx: TenantTransaction, tenantId: string, model: string): Promise<string[]> {
    assertTenantId(tenantId);
    const rows = await tx.embedding.findMany({ where: { tenantId, NOT: { model } }, distinct: ['model'], select: { model: true }, take: 5 });
    return rows.map((r) => r.model);
  }

  /**
   * A page of an entry's chunks (optionally one document's), in document then position order,
   * with the total. Only ready documents' chunks: one still processing may have stored part of
   * its chunks, which nothing shows before the document is ready.
   */
  async listChunks(
    tx: TenantTransaction,
    tenantId: string,
    knowledgeBaseId: string,
    page: { limit: number; offset: number; documentId?: string },
  ): Promise<ChunkPage> {
    assertTenantId(tenantId);
    const where: Prisma.EmbeddingWhereInput = {
      tenantId,
      knowledgeBaseId,
      document: { status: 'ready' },
      ...(page.documentId ? { documentId: page.documentId } : {}),
    };
    const [total, rows] = await Promise.all([
      tx.embedding.count({ where }),
      tx.embedding.findMany({
        where,
        orderBy: [{ document: { createdAt: 'asc' } }, { documentId: 'asc' }, { position: 'asc' }],
        take: page.limit,
        skip: page.offset,
        select: { id: true, documentId: true, position: true, content: true, tokenCount: true, pageNumber: true, charStart: true, charEnd: true, model: true },
      }),
    ]);
    return { total, rows: rows satisfies ChunkRow[] };
  }

  /**
   * Nearest chunks to `vector` within the tenant, closest first, through the HNSW index of the
   * metric. Sets the index's search breadth for this transaction first.
   */
  async nearest(
    tx: TenantTransaction,
    tenantId: string,
    vector: readonly number[],
    options: { limit: number; metric?: VectorMetric; efSearch?: number },
  ): Promise<SimilarChunk[]> {
    assertTenantId(tenantId);
    const literal = toVectorParam(vector, this.encoding);
    const limit = Math.min(Math.max(Math.trunc(options.limit), 1), 1000);
    const efSearch = Math.min(Math.max(Math.trunc(options.efSearch ?? Math.max(40, limit * 2)), 1), 1000);
    const operator = options.metric === 'l2' ? Prisma.raw('<->') : Prisma.raw('<=>');
    // SET LOCAL cannot take a bind parameter; the value is a clamped integer.
    await tx.$executeRawUnsafe(`SET LOCAL hnsw.ef_search = ${efSearch}`);
    const rows = await tx.$queryRaw<SimilarRow[]>`
      SELECT id::text, knowledge_base_id::text, document_id::text, position, content,
             (embedding_vector ${operator} ${literal}::vector)::float8 AS distance
        FROM embeddings
       WHERE tenant_id = ${tenantId}::uuid AND embedding_vector IS NOT NULL
       ORDER BY embedding_vector ${operator} ${literal}::vector
       LIMIT ${limit}`;
    return rows.map((r) => ({
      id: r.id,
      knowledgeBaseId: r.knowledge_base_id,
      documentId: r.document_id,
      position: r.position,
      content: r.content,
      distance: Number(r.distance),
    }));
  }
}
