import { Injectable } from '@nestjs/common';

import { assertTenantId } from '../database/assert-tenant-id.js';
import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { ChunkFilters } from './chunk-filters.js';
import { keywordBm25Sql, type KeywordQuery, nearestByIndexSql, nearestExactSql } from './chunk-search.sql.js';
import type { ChunkHit, ChunkPage, ChunkRow, CorpusStats, KeywordStats, NewEmbeddingChunk, RankedChunk, VectorMetric } from './embedding-chunk.js';
import { adoptRebuiltSql, rebuildPlanSql, textsToRebuildSql, type RebuildScope } from './rebuild.sql.js';
import { toVectorParam, type VectorEncoding } from './vector-param.js';

/** Rows per INSERT statement: 13 parameters each, well under PostgreSQL's 65535 bind limit. */
const INSERT_BATCH = 500;

const parseVectorText = (text: string): number[] => text.slice(1, -1).split(',').map(Number);


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
          ${c.tokenCount}, ${c.pageNumber}, ${c.pageEnd}, ${c.charStart}, ${c.charEnd}, ${c.contentHash}, ${c.model},
          ${toVectorParam(c.vector, this.encoding)}::vector)`,
      );
      inserted += await tx.$executeRaw`
        INSERT INTO embeddings (tenant_id, knowledge_base_id, document_id, position, content, token_count,
          page_number, page_end, char_start, char_end, content_hash, model, embedding_vector)
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

  /**
   * Embedding models of this tenant's stored chunks other than `model`: the nearest below and
   * above it in the (tenant_id, model) index, two index probes whatever the tenant's size.
   */
  async otherModels(tx: TenantTransaction, tenantId: string, model: string): Promise<string[]> {
    assertTenantId(tenantId);
    const rows = await tx.$queryRaw<{ model: string }[]>`
      (SELECT model FROM embeddings WHERE tenant_id = ${tenantId}::uuid AND model < ${model} ORDER BY model DESC LIMIT 1)
      UNION ALL
      (SELECT model FROM embeddings WHERE tenant_id = ${tenantId}::uuid AND model > ${model} ORDER BY model LIMIT 1)`;
    return rows.map((r) => r.model);
  }

  /**
   * Every embedding model among this tenant's stored chunks, in order: a skip scan of the
   * (tenant_id, model) index, one probe per model and one more, whatever the tenant's size.
   */
  async models(tx: TenantTransaction, tenantId: string): Promise<string[]> {
    assertTenantId(tenantId);
    const rows = await tx.$queryRaw<{ model: string }[]>`
      WITH RECURSIVE found AS (
        (SELECT model FROM embeddings WHERE tenant_id = ${tenantId}::uuid ORDER BY model LIMIT 1)
        UNION ALL
        SELECT (SELECT e.model FROM embeddings e WHERE e.tenant_id = ${tenantId}::uuid AND e.model > found.model ORDER BY e.model LIMIT 1)
          FROM found WHERE found.model IS NOT NULL
      )
      SELECT model FROM found WHERE model IS NOT NULL`;
    return rows.map((r) => r.model);
  }

  /** Re-embedding's plan for a tenant: its chunks, those to re-embed, and those of them already staged. */
  async rebuildPlan(tx: TenantTransaction, scope: RebuildScope): Promise<RebuildPlan> {
    assertTenantId(scope.tenantId);
    const [row] = await tx.$queryRaw<{ chunks: number; to_rebuild: number; staged: number }[]>(rebuildPlanSql(scope));
    return { chunks: row?.chunks ?? 0, toRebuild: row?.to_rebuild ?? 0, staged: row?.staged ?? 0 };
  }

  /** The next distinct texts to re-embed (not staged yet), in content hash order after `after`. */
  async textsToRebuild(tx: TenantTransaction, scope: RebuildScope, after: string, limit: number): Promise<TextToRebuild[]> {
    assertTenantId(scope.tenantId);
    const rows = await tx.$queryRaw<{ content_hash: string; content: string; chunks: number }[]>(textsToRebuildSql(scope, after, limit));
    return rows.map((r) => ({ contentHash: r.content_hash, content: r.content, chunks: r.chunks }));
  }

  /** Copies the staged vectors of `scope.model` into the tenant's chunks with those texts; answers how many changed. */
  async adoptRebuilt(tx: TenantTransaction, scope: RebuildScope): Promise<number> {
    assertTenantId(scope.tenantId);
    return tx.$executeRaw(adoptRebuiltSql(scope));
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
        select: { id: true, documentId: true, position: true, content: true, tokenCount: true, pageNumber: true, pageEnd: true, charStart: true, charEnd: true, model: true },
      }),
    ]);
    return { total, rows: rows satisfies ChunkRow[] };
  }

  /**
   * The tenant's chunk count and mean chunk length in tokens: one key probe of `search_corpus`,
   * which triggers on this table keep exact (migration 20261202090000_search_terms). Counts the
   * chunks of documents still being stored too, as search engines count what they have indexed.
   */
  async corpus(tx: TenantTransaction, tenantId: string): Promise<CorpusStats> {
    assertTenantId(tenantId);
    const [row] = await tx.$queryRaw<{ chunks: number; tokens: number }[]>`
      SELECT chunks::float8 AS chunks, tokens::float8 AS tokens FROM search_corpus WHERE tenant_id = ${tenantId}::uuid`;
    return toCorpus(row);
  }

  /**
   * The query's lexemes under PostgreSQL's English configuration (stemmed, stopwords dropped,
   * distinct), each with the number of the tenant's chunks that hold it, and the corpus
   * statistics: key probes of `search_terms` and `search_corpus` in one statement. Also turns JIT
   * compilation off for the rest of the transaction: for the BM25 statement that follows,
   * PostgreSQL's cost estimate can trigger 0.2-0.4 s of compiling, more than the statement's work.
   */
  async keywordStats(tx: TenantTransaction, tenantId: string, text: string): Promise<KeywordStats> {
    assertTenantId(tenantId);
    const [row] = await tx.$queryRaw<{ chunks: number | null; tokens: number | null; terms: string }[]>`
      WITH query AS (SELECT lexeme FROM unnest(to_tsvector('english', ${text})))
      SELECT set_config('jit', 'off', true) AS jit, c.chunks::float8 AS chunks, c.tokens::float8 AS tokens,
             (SELECT coalesce(json_agg(json_build_array(q.lexeme, coalesce(t.chunks, 0)) ORDER BY q.lexeme), '[]')::text
                FROM query q LEFT JOIN search_terms t ON t.tenant_id = ${tenantId}::uuid AND t.lexeme = q.lexeme) AS terms
        FROM (SELECT 1) AS one
        LEFT JOIN search_corpus c ON c.tenant_id = ${tenantId}::uuid`;
    const terms = (JSON.parse(row?.terms ?? '[]') as [string, number][]).map(([lexeme, chunks]) => ({ lexeme, chunks }));
    return { corpus: toCorpus(row), terms };
  }

  /**
   * The `limit` chunks nearest to `vector` among the tenant's ready chunks that pass `filters`,
   * closest first, with their distances. `exact` compares every candidate; otherwise the metric's
   * HNSW index answers, searching `efSearch` wide and, when filters or the tenant's share of the
   * table leave too few rows among the first found, scanning on (pgvector's iterative scan) until
   * `limit` rows pass. `model` keeps to the chunks of that model (a tenant whose chunks carry
   * several, while they are being re-embedded).
   */
  async nearest(
    tx: TenantTransaction,
    tenantId: string,
    vector: readonly number[],
    options: { limit: number; metric: VectorMetric; filters: ChunkFilters; exact: boolean; efSearch: number; model?: string },
  ): Promise<RankedChunk[]> {
    assertTenantId(tenantId);
    const param = Prisma.sql`${toVectorParam(vector, this.encoding)}::vector`;
    const limit = clamp(options.limit, 1, 1000);
    if (options.exact) {
      const rows = await tx.$queryRaw<RankedRow[]>(nearestExactSql(tenantId, param, options.metric, options.filters, limit, options.model));
      return rows.map(toRanked('distance'));
    }
    const efSearch = String(clamp(Math.max(options.efSearch, limit), 1, 1000));
    await tx.$queryRaw`SELECT set_config('hnsw.ef_search', ${efSearch}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`;
    const rows = await tx.$queryRaw<RankedRow[]>(nearestByIndexSql(tenantId, param, options.metric, options.filters, limit, options.model));
    return rows.map(toRanked('distance'));
  }

  /**
   * The `limit` best by BM25 of the tenant's ready chunks that hold any of `query.anyOf` (and
   * satisfy `query.websearch`) and pass `filters`, scored over all of `query.terms`.
   */
  async keywordMatches(
    tx: TenantTransaction,
    tenantId: string,
    query: KeywordQuery,
    options: { limit: number; filters: ChunkFilters; meanTokens: number },
  ): Promise<RankedChunk[]> {
    assertTenantId(tenantId);
    if (query.anyOf.length === 0 || query.terms.length === 0) return [];
    const rows = await tx.$queryRaw<RankedRow[]>(keywordBm25Sql(tenantId, query, options.meanTokens, options.filters, clamp(options.limit, 1, 1000)));
    return rows.map(toRanked('score'));
  }

  /** The chunks with these ids (of ready documents), with their entry and document, in no order. */
  async hits(tx: TenantTransaction, tenantId: string, ids: readonly string[]): Promise<ChunkHit[]> {
    assertTenantId(tenantId);
    if (ids.length === 0) return [];
    const rows = await tx.$queryRaw<HitRow[]>`
      SELECT e.id::text AS id, e.knowledge_base_id::text AS knowledge_base_id, e.document_id::text AS document_id, e.position,
             e.content, e.page_number, e.page_end, e.char_start, e.char_end,
             kb.title, kb.type, kb.intent, kb.tags, d.filename, d.source_url, d.source_kind
        FROM embeddings e
        JOIN documents d ON d.tenant_id = e.tenant_id AND d.id = e.document_id
        JOIN knowledge_bases kb ON kb.tenant_id = e.tenant_id AND kb.id = e.knowledge_base_id
       WHERE e.tenant_id = ${tenantId}::uuid AND d.status = 'ready'
         AND e.id IN (${Prisma.join(ids.map((id) => Prisma.sql`${id}::uuid`))})`;
    return rows.map((r) => ({
      id: r.id,
      knowledgeBaseId: r.knowledge_base_id,
      documentId: r.document_id,
      position: r.position,
      content: r.content,
      pageNumber: r.page_number,
      pageEnd: r.page_end,
      charStart: r.char_start,
      charEnd: r.char_end,
      title: r.title,
      type: r.type,
      intent: r.intent,
      tags: r.tags,
      filename: r.filename,
      sourceUrl: r.source_url,
      sourceKind: r.source_kind,
    }));
  }
}

export interface RebuildPlan {
  /** Every chunk of the tenant. */
  chunks: number;
  /** Chunks of another model (or every chunk, re-embedding all). */
  toRebuild: number;
  /** Of those, chunks whose text has a staged vector of the target model. */
  staged: number;
}

/** A distinct chunk text to re-embed, and how many of the tenant's chunks carry it. */
export interface TextToRebuild {
  contentHash: string;
  content: string;
  chunks: number;
}

interface RankedRow {
  id: string;
  distance?: number;
  score?: number;
}

interface HitRow {
  id: string;
  knowledge_base_id: string;
  document_id: string;
  position: number;
  content: string;
  page_number: number | null;
  page_end: number | null;
  char_start: number;
  char_end: number;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  filename: string | null;
  source_url: string | null;
  source_kind: string;
}

const toCorpus = (row: { chunks: number | null; tokens: number | null } | undefined): CorpusStats => {
  const chunks = Number(row?.chunks ?? 0);
  return { chunks, meanTokens: chunks > 0 ? Number(row?.tokens ?? 0) / chunks : 0 };
};

const clamp = (value: number, low: number, high: number): number => Math.min(Math.max(Math.trunc(value), low), high);

const toRanked =
  (column: 'distance' | 'score') =>
  (row: RankedRow): RankedChunk => ({ id: row.id, value: Number(row[column]) });
