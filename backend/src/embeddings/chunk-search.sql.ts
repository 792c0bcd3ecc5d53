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
 * The tenant's chunks of ready documents that pass the filters (and carry `model`, when given).
 * The document is probed by its key for each chunk (EXISTS), and the entry joined only when a
 * filter needs it, so a plan stays linear in the tenant's chunks even where statistics are missing.
 */
const readyChunksOfEntries = (tenantId: string, filters: ChunkFilters, model: string | undefined): Prisma.Sql => Prisma.sql`
        FROM embeddings e
        ${hasEntryConditions(filters) ? Prisma.sql`JOIN knowledge_bases kb ON kb.tenant_id = e.tenant_id AND kb.id = e.knowledge_base_id` : Prisma.empty}
       WHERE e.tenant_id = ${tenantId}::uuid AND e.embedding_vector IS NOT NULL
         ${model === undefined ? Prisma.empty : Prisma.sql`AND e.model = ${model}`}
         AND EXISTS (SELECT 1 FROM documents d WHERE d.tenant_id = e.tenant_id AND d.id = e.document_id AND d.status = 'ready')
         ${entryConditions(filters)}`;

/**
 * The `limit` nearest chunks through the metric's HNSW index (ORDER BY the operator the index
 * serves, LIMIT), re-sorted by exact distance since iterative scans in relaxed order may return
 * them slightly out of order. `model`: only chunks embedded with it (a tenant holding several).
 */
export function nearestByIndexSql(
  tenantId: string,
  vector: Prisma.Sql,
  metric: VectorMetric,
  filters: ChunkFilters,
  limit: number,
  model?: string,
): Prisma.Sql {
  const op = distanceOperator(metric);
  return Prisma.sql`
    WITH nearest AS MATERIALIZED (
      SELECT e.id, (e.embedding_vector ${op} ${vector})::float8 AS distance
      ${readyChunksOfEntries(tenantId, filters, model)}
       ORDER BY e.embedding_vector ${op} ${vector}
       LIMIT ${limit}
    )
    SELECT id::text AS id, distance FROM nearest ORDER BY distance, id`;
}

/** The `limit` nearest chunks by comparing every candidate vector (exact; the CTE keeps the index out). */
export function nearestExactSql(
  tenantId: string,
  vector: Prisma.Sql,
  metric: VectorMetric,
  filters: ChunkFilters,
  limit: number,
  model?: string,
): Prisma.Sql {
  const op = distanceOperator(metric);
  return Prisma.sql`
    WITH scored AS MATERIALIZED (
      SELECT e.id, (e.embedding_vector ${op} ${vector})::float8 AS distance
      ${readyChunksOfEntries(tenantId, filters, model)}
    )
    SELECT id::text AS id, distance FROM scored ORDER BY distance, id LIMIT ${limit}`;
}

/** A query term with its weight in this tenant: BM25's inverse document frequency. */
export interface WeightedTerm {
  lexeme: string;
  idf: number;
}

export interface KeywordQuery {
  /** Every lexeme of the query, each with its weight: a chunk's score sums over these. */
  terms: readonly WeightedTerm[];
  /** Which chunks are scored: those holding any of these lexemes (all of `terms`, or their rarer part). */
  anyOf: readonly string[];
  /** The query as typed, when it uses web-search syntax ("phrase", -word, or) that every result must satisfy. */
  websearch?: string;
}

/** `'a' | 'b'`: any of the lexemes, quoted as tsquery input wants (quote doubled, backslash escaped). */
export const anyLexeme = (lexemes: readonly string[]): string =>
  lexemes.map((l) => `'${l.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`).join(' | ');

/**
 * The tenant's ready chunks holding any of `query.anyOf`, ranked by BM25 over all of
 * `query.terms`: term frequencies come from each chunk's stored tsvector, the terms' weights (idf)
 * from the tenant's term statistics, chunk length is its token count against `meanTokens`. The
 * entry filters narrow the ranking, not what a term is worth.
 */
export function keywordBm25Sql(tenantId: string, query: KeywordQuery, meanTokens: number, filters: ChunkFilters, limit: number): Prisma.Sql {
  const websearch = query.websearch ? Prisma.sql`AND e.search_vector @@ websearch_to_tsquery('english', ${query.websearch})` : Prisma.empty;
  const lexemes = Prisma.sql`ARRAY[${Prisma.join(query.terms.map((t) => t.lexeme))}]::text[]`;
  const weights = Prisma.sql`ARRAY[${Prisma.join(query.terms.map((t) => t.idf))}]::float8[]`;
  return Prisma.sql`
    WITH terms AS (SELECT * FROM unnest(${lexemes}, ${weights}) AS t(lexeme, idf)),
    matches AS MATERIALIZED (
      SELECT e.id, e.knowledge_base_id, e.token_count, e.search_vector
        FROM embeddings e
        JOIN documents d ON d.tenant_id = e.tenant_id AND d.id = e.document_id
       WHERE e.tenant_id = ${tenantId}::uuid AND d.status = 'ready'
         AND e.search_vector @@ ${anyLexeme(query.anyOf)}::tsquery
         ${websearch}
    ),
    postings AS (
      -- only the query's lexemes of each match: weight them A, keep the A's, then unnest (a chunk
      -- holds a hundred or more lexemes; unnesting them all cost seconds for a common query word)
      SELECT m.id, u.lexeme, coalesce(cardinality(u.positions), 1)::float8 AS tf
        FROM matches m
        CROSS JOIN LATERAL unnest(ts_filter(setweight(m.search_vector, 'A', ${lexemes}), '{a}')) AS u(lexeme, positions, weights)
    ),
    scores AS (
      SELECT p.id,
             sum(t.idf * p.tf * ${BM25_K1 + 1}::float8
                 / (p.tf + ${BM25_K1}::float8 * (1 - ${BM25_B}::float8 + ${BM25_B}::float8 * m.token_count / ${Math.max(meanTokens, 1)}::float8))) AS score
        FROM postings p
        JOIN terms t ON t.lexeme = p.lexeme
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
