import type { DatabaseEngine, SqlSession } from '../backend/src/database/database-engine.js';
import { TENANT_ROLE } from '../backend/src/database/tenant-database.js';
import { keywordBm25Sql, nearestByIndexSql, nearestExactSql } from '../backend/src/embeddings/chunk-search.sql.js';
import type { VectorMetric } from '../backend/src/embeddings/embedding-chunk.js';
import { LEXICAL_MODEL } from '../backend/src/embeddings/providers/lexical-embedding-provider.js';
import { planBm25 } from '../backend/src/search/bm25-plan.js';
import { toVectorParam } from '../backend/src/embeddings/vector-param.js';
import { Prisma } from '../backend/src/generated/prisma/client.js';

/**
 * The search benchmark's direct SQL: hand-written equivalents of the service's semantic query
 * (timed on one session, to show the service's overhead), exact top-10 distances for recall, and
 * EXPLAIN (ANALYZE, BUFFERS) of the service's own statements, each in a transaction set up as the
 * service sets up its own: tenant pinned, role bb_tenant, HNSW settings.
 */

export interface SemanticSettings {
  efSearch: number;
  exactMaxChunks: number;
}

/** How the service answers a semantic search for a tenant of `chunks` chunks. */
export const semanticPath = (chunks: number, settings: SemanticSettings): 'exact' | 'hnsw' => (chunks <= settings.exactMaxChunks ? 'exact' : 'hnsw');

const operator = (metric: VectorMetric): string => (metric === 'l2' ? '<->' : '<=>');

const vectorParam = (db: DatabaseEngine, vector: readonly number[]): string | Uint8Array => toVectorParam(vector, db.kind === 'postgres' ? 'binary' : 'text');

/** Hand-written: the 10 nearest ready chunks through the metric's HNSW index ($1 tenant, $2 vector). */
const hnswSql = (metric: VectorMetric): string => `
  SELECT e.id::text AS id, (e.embedding_vector ${operator(metric)} $2::vector)::float8 AS distance
    FROM embeddings e
    JOIN documents d ON d.tenant_id = e.tenant_id AND d.id = e.document_id
   WHERE e.tenant_id = $1::uuid AND d.status = 'ready' AND e.embedding_vector IS NOT NULL
   ORDER BY e.embedding_vector ${operator(metric)} $2::vector
   LIMIT 10`;

/** Hand-written: the 10 nearest ready chunks by comparing all of them (the CTE keeps any index out). */
const exactSql = (metric: VectorMetric): string => `
  WITH scored AS MATERIALIZED (
    SELECT e.id, (e.embedding_vector ${operator(metric)} $2::vector)::float8 AS distance
      FROM embeddings e
      JOIN documents d ON d.tenant_id = e.tenant_id AND d.id = e.document_id
     WHERE e.tenant_id = $1::uuid AND d.status = 'ready' AND e.embedding_vector IS NOT NULL
  )
  SELECT id::text AS id, distance FROM scored ORDER BY distance, id LIMIT 10`;

/** Opens the transaction as TenantDatabase.run and EmbeddingsRepository.nearest do (one round trip). */
async function begin(session: SqlSession, tenantId: string, efSearch: number): Promise<void> {
  await session.query('BEGIN');
  await session.query(
    `SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true),
            set_config('hnsw.ef_search', $3, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`,
    [tenantId, TENANT_ROLE, String(efSearch)],
  );
}

/**
 * Client-side ms of each query's transaction (BEGIN, settings, the query, COMMIT) on one session,
 * after one untimed pass over all of them; the path the service would take for this tenant.
 */
export async function timeRawSemantic(
  db: DatabaseEngine,
  tenantId: string,
  vectors: readonly (readonly number[])[],
  metric: VectorMetric,
  path: 'exact' | 'hnsw',
  settings: SemanticSettings,
): Promise<number[]> {
  const sql = path === 'hnsw' ? hnswSql(metric) : exactSql(metric);
  return db.withSession(async (session) => {
    const run = async (vector: readonly number[]): Promise<number> => {
      const started = performance.now();
      await begin(session, tenantId, Math.max(settings.efSearch, 10));
      const rows = await session.query<{ id: string }>(sql, [tenantId, vectorParam(db, vector)]);
      await session.query('COMMIT');
      if (rows.length === 0) throw new Error('raw semantic query found nothing');
      return performance.now() - started;
    };
    for (const v of vectors) await run(v);
    const times: number[] = [];
    for (const v of vectors) times.push(await run(v));
    return times;
  });
}

/** Runs `fn` per vector once untimed, then once timed; its laps (label → ms) collected per label. */
async function lapsPerQuery(
  vectors: readonly (readonly number[])[],
  fn: (vector: readonly number[], lap: (label: string) => void, index: number, timed: boolean) => Promise<void>,
): Promise<Map<string, number[]>> {
  const laps = new Map<string, number[]>();
  for (const timed of [false, true]) {
    for (let i = 0; i < vectors.length; i++) {
      let last = performance.now();
      await fn(vectors[i], (label) => {
        const now = performance.now();
        if (timed) laps.set(label, [...(laps.get(label) ?? []), now - last]);
        last = now;
      }, i, timed);
    }
  }
  return laps;
}

/**
 * The statements the service runs for a semantic (cosine) search, one by one on one session,
 * with its SQL where it is the repository's own (chunk-search.sql.ts) and a copy otherwise: where
 * the time goes between the raw query and the HTTP answer.
 */
export async function timeServiceStatements(
  db: DatabaseEngine,
  tenantId: string,
  vectors: readonly (readonly number[])[],
  path: 'exact' | 'hnsw',
  settings: SemanticSettings,
): Promise<Map<string, number[]>> {
  return db.withSession((session) =>
    lapsPerQuery(vectors, async (vector, lap) => {
      await session.query('BEGIN');
      await session.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, TENANT_ROLE]);
      lap('begin, tenant and role');
      await session.query('SELECT chunks::float8 AS chunks, tokens::float8 AS tokens FROM search_corpus WHERE tenant_id = $1::uuid', [tenantId]);
      lap('corpus (chunks, tokens)');
      await session.query(
        `(SELECT model FROM embeddings WHERE tenant_id = $1::uuid AND model < $2 ORDER BY model DESC LIMIT 1)
         UNION ALL (SELECT model FROM embeddings WHERE tenant_id = $1::uuid AND model > $2 ORDER BY model LIMIT 1)`,
        [tenantId, LEXICAL_MODEL],
      );
      lap('otherModels');
      const param = Prisma.sql`${vectorParam(db, vector)}::vector`;
      let statement = nearestExactSql(tenantId, param, 'cosine', {}, 10);
      if (path === 'hnsw') {
        await session.query(`SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`, [String(Math.max(settings.efSearch, 10))]);
        statement = nearestByIndexSql(tenantId, param, 'cosine', {}, 10);
      }
      const ids = (await session.query<{ id: string }>(statement.text, statement.values)).map((r) => r.id);
      lap(`nearest (${path}, with its settings)`);
      await session.query(
        `SELECT e.id, e.knowledge_base_id, e.document_id, e.position, e.content, e.page_number, e.page_end, e.char_start, e.char_end,
                kb.title, kb.type, kb.intent, kb.tags, d.filename, d.source_url, d.source_kind
           FROM embeddings e
           JOIN documents d ON d.tenant_id = e.tenant_id AND d.id = e.document_id
           JOIN knowledge_bases kb ON kb.tenant_id = e.tenant_id AND kb.id = e.knowledge_base_id
          WHERE e.tenant_id = $1::uuid AND d.status = 'ready' AND e.id = ANY($2::uuid[])`,
        [tenantId, ids],
      );
      lap('hits (the 10 chunks)');
      await session.query('COMMIT');
      lap('commit');
    }),
  );
}

/** Recall@10 and per-query ms of the hand-written HNSW query at one hnsw.ef_search (timed pass only). */
export async function sweepEfSearch(
  db: DatabaseEngine,
  tenantId: string,
  vectors: readonly (readonly number[])[],
  tenth: readonly number[],
  efSearch: number,
): Promise<{ times: number[]; recall: number }> {
  let hits = 0;
  const laps = await db.withSession((session) =>
    lapsPerQuery(vectors, async (vector, lap, i, timed) => {
      await begin(session, tenantId, efSearch);
      const rows = await session.query<{ distance: number }>(hnswSql('cosine'), [tenantId, vectorParam(db, vector)]);
      await session.query('COMMIT');
      lap('query');
      if (timed) hits += rows.filter((r) => Number(r.distance) <= (tenth[i] ?? 0) + 1e-6).length;
    }),
  );
  return { times: laps.get('query') ?? [], recall: hits / (vectors.length * 10) };
}

/** Per query, how many of the tenant's ready chunks hold any of its lexemes: the rows keyword search scores. */
export async function keywordMatchCounts(db: DatabaseEngine, tenantId: string, queries: readonly string[]): Promise<number[]> {
  return db.withSession(async (session) => {
    const counts: number[] = [];
    for (const q of queries) {
      await begin(session, tenantId, 100);
      const [row] = await session.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM embeddings e JOIN documents d ON d.tenant_id = e.tenant_id AND d.id = e.document_id
          WHERE e.tenant_id = $1::uuid AND d.status = 'ready'
            AND e.search_vector @@ (SELECT coalesce(string_agg(quote_literal(lexeme), ' | '), '') FROM unnest(to_tsvector('english', $2)))::tsquery`,
        [tenantId, q],
      );
      await session.query('COMMIT');
      counts.push(Number(row?.n ?? 0));
    }
    return counts;
  });
}

/** Per query, the exact 10th-nearest cosine distance among the tenant's ready chunks (no index). */
export async function exactTenthDistances(db: DatabaseEngine, tenantId: string, vectors: readonly (readonly number[])[]): Promise<number[]> {
  return db.withSession(async (session) => {
    const tenth: number[] = [];
    for (const v of vectors) {
      await begin(session, tenantId, 100);
      const rows = await session.query<{ distance: number }>(exactSql('cosine'), [tenantId, vectorParam(db, v)]);
      await session.query('COMMIT');
      tenth.push(Number(rows[rows.length - 1]?.distance ?? Number.POSITIVE_INFINITY));
    }
    return tenth;
  });
}

export type PlanKind = 'semantic' | 'keyword';

/** EXPLAIN (ANALYZE, BUFFERS), or a plain EXPLAIN, of the statement the service runs, under the service's settings. */
export async function explainServiceQuery(
  db: DatabaseEngine,
  tenantId: string,
  kind: PlanKind,
  query: string,
  vector: readonly number[],
  path: 'exact' | 'hnsw',
  settings: SemanticSettings,
  options: { analyze: boolean; metric: VectorMetric; limit?: number } = { analyze: true, metric: 'cosine' },
): Promise<string[]> {
  return db.withSession(async (session) => {
    await begin(session, tenantId, Math.max(settings.efSearch, 10));
    try {
      let statement: Prisma.Sql;
      if (kind === 'semantic') {
        const param = Prisma.sql`${vectorParam(db, vector)}::vector`;
        statement = path === 'hnsw' ? nearestByIndexSql(tenantId, param, options.metric, {}, options.limit ?? 10) : nearestExactSql(tenantId, param, options.metric, {}, options.limit ?? 10);
      } else {
        // the statement the service runs first (see Bm25Plan): the chunks holding a rare term when the query also has common ones
        const [corpus] = await session.query<{ chunks: number; tokens: number }>('SELECT chunks::float8 AS chunks, tokens::float8 AS tokens FROM search_corpus WHERE tenant_id = $1::uuid', [tenantId]);
        const terms = await session.query<{ lexeme: string; chunks: number }>(
          `SELECT q.lexeme, coalesce(t.chunks, 0)::int AS chunks FROM unnest(to_tsvector('english', $2)) AS q
             LEFT JOIN search_terms t ON t.tenant_id = $1::uuid AND t.lexeme = q.lexeme ORDER BY q.lexeme`,
          [tenantId, query],
        );
        const chunks = Number(corpus?.chunks ?? 0);
        const plan = planBm25({ corpus: { chunks, meanTokens: chunks > 0 ? Number(corpus?.tokens) / chunks : 0 }, terms });
        const anyOf = plan.rare.length > 0 && plan.common.length > 0 ? plan.rare : plan.terms.map((t) => t.lexeme);
        statement = keywordBm25Sql(tenantId, { terms: plan.terms, anyOf }, chunks > 0 ? Number(corpus?.tokens) / chunks : 0, {}, 10);
      }
      const rows = await session.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${options.analyze ? '(ANALYZE, BUFFERS) ' : ''}${statement.text}`, statement.values);
      return rows.map((r) => r['QUERY PLAN']);
    } finally {
      await session.query('ROLLBACK');
    }
  });
}

/** What the planner makes of the service's semantic statement: the HNSW index, or a scan of the tenant's rows. */
export async function plannedScan(
  db: DatabaseEngine,
  tenantId: string,
  vector: readonly number[],
  options: { metric: VectorMetric; limit: number; path: 'exact' | 'hnsw' },
  settings: SemanticSettings,
): Promise<string> {
  const plan = await explainServiceQuery(db, tenantId, 'semantic', '', vector, options.path, settings, { analyze: false, ...options });
  return plan.some((line) => /Index Scan using embeddings_vector_(cosine|l2)_idx/.test(line)) ? 'hnsw index' : 'exact scan';
}
