import { Prisma } from '../generated/prisma/client.js';
import type { ChunkFilters } from './chunk-filters.js';
import { entryConditions, hasEntryConditions } from './chunk-filters.js';
import type { VectorMetric } from './embedding-chunk.js';

/**
 * The SQL of search over `embeddings`, for EmbeddingsRepository (the table's one door). Every
 * statement filters on the tenant explicitly as well as through row-level security, reads only
 * chunks of ready documents, and applies the entry filters on `knowledge_bases` (alias `kb`).
 */

/** BM25's usual parameters (Robertson et al.; Lucene's defaults). */
export const BM25_K1 = 1.2;
export const BM25_B = 0.75;

const distanceOperator = (metric: VectorMetric): Prisma.Sql => (metric === 'l2' ? Prisma.raw('<->') : Prisma.raw('<=>'));

/**
 * The tenant's chunks of ready documents that pass the filters. The document is probed by its key
 * for each chunk (EXISTS), and the entry joined only when a filter needs it, so a plan stays
 * linear in the tenant's chunks even where statistics are missing.
 */
const readyChunksOfEntries = (tenantId: string, filters: ChunkFilters): Prisma.Sql => Prisma.sql`
        FROM embeddings e
        ${hasEntryConditions(filters) ? Prisma.sql`JOIN knowledge_bases kb ON kb.tenant_id = e.tenant_id AND kb.id = e.knowledge_base_id` : Prisma.empty}
       WHERE e.tenant_id = ${tenantId}::uuid AND e.embedding_vector IS NOT NULL
         AND EXISTS (SELECT 1 FROM documents d WHERE d.tenant_id = e.tenant_id AND d.id = e.document_id AND d.status = 'ready')
         ${entryConditions(filters)}`;

/**
 * The `limit` nearest chunks through the metric's HNSW index (ORDER BY the operator the index
 * serves, LIMIT), re-sorted by exact distance since iterative scans in relaxed order may return
 * them slightly out of order.
 */
export function nearestByIndexSql(tenantId: string, vector: Prisma.Sql, metric: VectorMetric, filters: ChunkFilters, limit: number): Prisma.Sql {
  const op = distanceOperator(metric);
  return Prisma.sql`
    WITH nearest AS MATERIALIZED (
      SELECT e.id, (e.embedding_vector ${op} ${vector})::float8 AS distance
      ${readyChunksOfEntries(tenantId, filters)}
       ORDER BY e.embedding_vector ${op} ${vector}
       LIMIT ${limit}
    )
    SELECT id::text AS id, distance FROM nearest ORDER BY distance, id`;
}

/** The `limit` nearest chunks by comparing every candidate vector (exact; the CTE keeps the index out). */
export function nearestExactSql(tenantId: string, vector: Prisma.Sql, metric: VectorMetric, filters: ChunkFilters, limit: number): Prisma.Sql {
  const op = distanceOperator(metric);
  return Prisma.sql`
    WITH scored AS MATERIALIZED (
      SELECT e.id, (e.embedding_vector ${op} ${vector})::float8 AS distance
      ${readyChunksOfEntries(tenantId, filters)}
    )
    SELECT id::text AS id, distance FROM scored ORDER BY distance, id LIMIT ${limit}`;
}

export interface KeywordQuery {
  /** The query's lexemes as PostgreSQL's English configuration makes them. */
  lexemes: readonly string[];
  /** The query as typed, when it uses web-search syntax ("phrase", -word, or) that every result must satisfy. */
  websearch?: string;
}

/** `'a' | 'b'`: any of the lexemes, quoted as tsquery input wants (quote doubled, backslash escaped). */
export const anyLexeme = (lexemes: readonly string[]): string =>
  lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');

/**
 * Chunks holding any of the query's lexemes, ranked by BM25. Term frequencies come from each
 * match's stored tsvector; document frequencies are counted over all the tenant's ready matches
 * (every chunk holding a term is a match), before the entry filters narrow the ranking, so a
 * filter does not change what a term is worth; `chunks` and `meanTokens` are the tenant's corpus
 * statistics. Chunk length is its token count.
 */
export function keywordBm25Sql(
  tenantId: string,
  query: KeywordQuery,
  stats: { chunks: number; meanTokens: number },
  filters: ChunkFilters,
  limit: number,
): Prisma.Sql {
  const websearch = query.websearch ? Prisma.sql`AND e.search_vector @@ websearch_to_tsquery('english', ${query.websearch})` : Prisma.empty;
  const n = Math.max(stats.chunks, 1);
  const meanTokens = Math.max(stats.meanTokens, 1);
  return Prisma.sql`
    WITH matches AS MATERIALIZED (
      SELECT e.id, e.knowledge_base_id, e.token_count, e.search_vector
        FROM embeddings e
        JOIN documents d ON d.tenant_id = e.tenant_id AND d.id = e.document_id
       WHERE e.tenant_id = ${tenantId}::uuid AND d.status = 'ready'
         AND e.search_vector @@ ${anyLexeme(query.lexemes)}::tsquery
         ${websearch}
    ),
    postings AS (
      -- only the query's lexemes of each match: weight them A, keep the A's, then unnest (a chunk
      -- holds a hundred or more lexemes; unnesting them all cost seconds for a common query word)
      SELECT m.id, u.lexeme, coalesce(cardinality(u.positions), 1)::float8 AS tf
        FROM matches m
        CROSS JOIN LATERAL unnest(ts_filter(setweight(m.search_vector, 'A', ARRAY[${Prisma.join(query.lexemes)}]::text[]), '{a}'))
             AS u(lexeme, positions, weights)
    ),
    frequencies AS (SELECT lexeme, count(*)::float8 AS df FROM postings GROUP BY lexeme),
    scores AS (
      SELECT p.id,
             sum(ln(1 + (${n}::float8 - f.df + 0.5) / (f.df + 0.5))
                 * p.tf * ${BM25_K1 + 1}::float8
                 / (p.tf + ${BM25_K1}::float8 * (1 - ${BM25_B}::float8 + ${BM25_B}::float8 * m.token_count / ${meanTokens}::float8))) AS score
        FROM postings p
        JOIN frequencies f ON f.lexeme = p.lexeme
        JOIN matches m ON m.id = p.id
       GROUP BY p.id
    )
    SELECT s.id::text AS id, s.score::float8 AS score
      FROM scores s
      JOIN matches m ON m.id = s.id
      JOIN knowledge_bases kb ON kb.tenant_id = ${tenantId}::uuid AND kb.id = m.knowledge_base_id
     WHERE true ${entryConditions(filters)}
     ORDER BY s.score DESC, s.id
     LIMIT ${limit}`;
}
