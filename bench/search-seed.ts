import { createHash } from 'node:crypto';

import { KNOWLEDGE_INTENTS, KNOWLEDGE_TYPES } from '@business-brain/contract';

import type { DatabaseEngine, SqlSession } from '../backend/src/database/database-engine.js';
import { LexicalEmbeddingProvider } from '../backend/src/embeddings/providers/lexical-embedding-provider.js';
import { toVectorParam, type VectorEncoding } from '../backend/src/embeddings/vector-param.js';
import { Rng, seedOf } from './corpus/rng.js';
import { chunkText, documentTopic } from './search-corpus.js';

/** A tenant of the benchmark and the chunks it holds. */
export interface SeedTenant {
  slug: string;
  chunks: number;
}

/**
 * The tenants for `total` chunks: `half` holds 50 %, `mid` 8 %, `small` 0.1 %, and six filler
 * tenants share the rest, so each measured tenant's rows sit among many other tenants' in the
 * shared HNSW graphs.
 */
export function tenantPlan(total: number): SeedTenant[] {
  const half = Math.round(total * 0.5);
  const mid = Math.round(total * 0.08);
  const small = Math.max(1, Math.round(total * 0.001));
  const fillers = 6;
  const rest = total - half - mid - small;
  return [
    { slug: 'half', chunks: half },
    { slug: 'mid', chunks: mid },
    { slug: 'small', chunks: small },
    ...Array.from({ length: fillers }, (_, i) => ({
      slug: `filler-${i + 1}`,
      chunks: Math.floor(rest / fillers) + (i < rest % fillers ? 1 : 0),
    })),
  ];
}

/**
 * The search indexes, dropped for the bulk load and built after it: the migrations' statements,
 * the HNSW ones optionally with build parameters (`with`, e.g. "m = 16, ef_construction = 200")
 * to try what a migration could change.
 */
const searchIndexes = (hnswWith: string | undefined): { name: string; create: string }[] => {
  const w = hnswWith ? ` WITH (${hnswWith})` : '';
  return [
    { name: 'embeddings_vector_cosine_idx', create: `CREATE INDEX "embeddings_vector_cosine_idx" ON "embeddings" USING hnsw ("embedding_vector" vector_cosine_ops)${w}` },
    { name: 'embeddings_vector_l2_idx', create: `CREATE INDEX "embeddings_vector_l2_idx" ON "embeddings" USING hnsw ("embedding_vector" vector_l2_ops)${w}` },
    { name: 'embeddings_search_vector_idx', create: 'CREATE INDEX "embeddings_search_vector_idx" ON "embeddings" USING gin ("search_vector")' },
  ];
};

const CHUNKS_PER_DOCUMENT = { min: 8, max: 32 } as const;
const DOCUMENTS_PER_ENTRY = 25;
/** Rows per INSERT: 11 parameters each. */
const BATCH = 250;

/** A deterministic uuid (md5 of the label, as bench/list-seed.ts does in SQL). */
const uuidOf = (label: string): string => {
  const h = createHash('md5').update(label).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** `(…$n…), (…)` placeholders for `rows` rows of `width` parameters, with a cast per column. */
const placeholders = (rows: number, casts: readonly string[]): string =>
  Array.from({ length: rows }, (_, r) => `(${casts.map((cast, c) => `$${r * casts.length + c + 1}${cast}`).join(', ')})`).join(', ');

async function insertRows(session: SqlSession, table: string, columns: readonly string[], casts: readonly string[], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  await session.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders(rows.length, casts)}`, rows.flat());
}

interface Progress {
  done: number;
  total: number;
  started: number;
  lastReport: number;
}

function report(progress: Progress, label: string, force = false): void {
  const now = performance.now();
  if (!force && now - progress.lastReport < 5_000) return;
  progress.lastReport = now;
  const rate = progress.done / ((now - progress.started) / 1000);
  process.stderr.write(`  ${label}: ${progress.done.toLocaleString('en-US')}/${progress.total.toLocaleString('en-US')} chunks (${rate.toFixed(0)}/s)\n`);
}

/**
 * One tenant's entries, documents (all ready) and chunks (texts from search-corpus.ts, embedded
 * by the offline lexical embedder), in one transaction under the tenant's id. The next batch is
 * embedded while the database stores the previous one.
 */
async function seedTenant(session: SqlSession, encoding: VectorEncoding, tenantId: string, tenant: SeedTenant, progress: Progress, label: string): Promise<void> {
  const embedder = new LexicalEmbeddingProvider();
  const rng = new Rng(seedOf(`search-seed-v1:${tenant.slug}`));
  const sizes: number[] = [];
  for (let left = tenant.chunks; left > 0; ) {
    const n = Math.min(left, rng.int(CHUNKS_PER_DOCUMENT.min, CHUNKS_PER_DOCUMENT.max));
    sizes.push(n);
    left -= n;
  }
  const entryOf = (doc: number): string => uuidOf(`${tenant.slug}:entry:${Math.floor(doc / DOCUMENTS_PER_ENTRY)}`);
  const docId = (doc: number): string => uuidOf(`${tenant.slug}:document:${doc}`);
  await session.query('BEGIN');
  try {
    await session.query(`SELECT set_config('app.tenant_id', $1, true)`, [tenantId]);
    const entries = Math.ceil(sizes.length / DOCUMENTS_PER_ENTRY);
    const entryRows = Array.from({ length: entries }, (_, e) => [
      uuidOf(`${tenant.slug}:entry:${e}`),
      tenantId,
      `${tenant.slug} knowledge ${e + 1}`,
      KNOWLEDGE_TYPES[e % KNOWLEDGE_TYPES.length],
      KNOWLEDGE_INTENTS[e % KNOWLEDGE_INTENTS.length],
    ]);
    for (let i = 0; i < entryRows.length; i += BATCH) {
      await insertRows(session, 'knowledge_bases', ['id', 'tenant_id', 'title', 'type', 'intent', 'status'], ['::uuid', '::uuid', '', '', '', ''],
        entryRows.slice(i, i + BATCH).map((r) => [...r, 'ready']));
    }
    const docRows = sizes.map((n, d) => [docId(d), tenantId, entryOf(d), `${tenant.slug}-${d}.txt`, sha256(`${tenant.slug}:${d}`), n, embedder.model]);
    for (let i = 0; i < docRows.length; i += BATCH) {
      await insertRows(session, 'documents',
        ['id', 'tenant_id', 'knowledge_base_id', 'source_kind', 'filename', 'mime_type', 'content_hash', 'status', 'chunk_count', 'embedding_model', 'processed_at'],
        ['::uuid', '::uuid', '::uuid', '', '', '', '', '', '::int', '', ''],
        docRows.slice(i, i + BATCH).map(([id, t, kb, name, hash, n, model]) => [id, t, kb, 'text', name, 'text/plain', hash, 'ready', n, model, new Date().toISOString()]));
    }
    const columns = ['tenant_id', 'knowledge_base_id', 'document_id', 'position', 'content', 'token_count', 'char_start', 'char_end', 'content_hash', 'model', 'embedding_vector'];
    const casts = ['::uuid', '::uuid', '::uuid', '::int', '', '::int', '::int', '::int', '', '', '::vector'];
    let rows: unknown[][] = [];
    let inflight: Promise<void> = Promise.resolve();
    const flush = async (): Promise<void> => {
      const batch = rows;
      rows = [];
      await inflight;
      inflight = insertRows(session, 'embeddings', columns, casts, batch);
    };
    for (let d = 0; d < sizes.length; d++) {
      const about = documentTopic(rng);
      let offset = 0;
      for (let position = 0; position < (sizes[d] ?? 0); position++) {
        const { text, words } = chunkText(rng, about);
        const vector = toVectorParam(embedder.embedText(text), encoding);
        // token_count: about 1.3 tokens a word, as real English text tokenizes (BM25's length normalisation reads it)
        rows.push([tenantId, entryOf(d), docId(d), position, text, Math.round(words * 1.3), offset, offset + text.length, sha256(text), embedder.model, vector]);
        offset += text.length + 1;
        if (rows.length >= BATCH) await flush();
        progress.done++;
        report(progress, label);
      }
    }
    await flush();
    await inflight;
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** What the triggers of migration 20261202090000_search_terms keep, counted afresh for every tenant. */
const RECOUNT_SEARCH_STATS = `BEGIN;
  DELETE FROM search_terms; DELETE FROM search_corpus;
  INSERT INTO search_corpus (tenant_id, chunks, tokens) SELECT tenant_id, count(*), coalesce(sum(token_count), 0) FROM embeddings GROUP BY tenant_id;
  INSERT INTO search_terms (tenant_id, lexeme, chunks)
    SELECT e.tenant_id, t.lexeme, count(*) FROM embeddings e CROSS JOIN LATERAL unnest(e.search_vector) AS t GROUP BY 1, 2;
  ANALYZE search_terms; ANALYZE search_corpus;
COMMIT`;

export interface SeedResult {
  /** Tenant slug → id. */
  tenantIds: Map<string, string>;
  loadMs: number;
  /** Index name → build time, ms. */
  indexMs: Map<string, number>;
  analyzeMs: number;
}

/**
 * Loads the plan's tenants (already provisioned: `tenantIds`) with the search indexes dropped,
 * then builds the indexes with generous maintenance_work_mem (timed one by one: an HNSW graph
 * that outgrows it is built far more slowly: an index took 0.8 GB at 100,000 chunks, so about 8 GB at 1M) and runs VACUUM
 * ANALYZE, as autovacuum would soon after a bulk load.
 */
export interface SeedOptions {
  /** Progress lines on stderr start with it. */
  label: string;
  /** HNSW build parameters (the migrations' defaults when unset). */
  hnswWith?: string;
  /** For the index builds: 2GB on PostgreSQL and 512MB on PGlite unless set. */
  maintenanceWorkMem?: string;
}

export async function seedSearchCorpus(database: DatabaseEngine, plan: readonly SeedTenant[], tenantIds: Map<string, string>, options: SeedOptions): Promise<SeedResult> {
  const { label } = options;
  const encoding: VectorEncoding = database.kind === 'postgres' ? 'binary' : 'text';
  const total = plan.reduce((n, t) => n + t.chunks, 0);
  const progress: Progress = { done: 0, total, started: performance.now(), lastReport: performance.now() };
  return database.withSession(async (session) => {
    const indexes = searchIndexes(options.hnswWith);
    await session.exec(`DROP INDEX IF EXISTS ${indexes.map((i) => `"${i.name}"`).join(', ')}`);
    // like the indexes, BM25's term statistics are counted once after the bulk load, not per insert
    await session.exec('ALTER TABLE embeddings DISABLE TRIGGER embeddings_search_stats_insert');
    const loadStarted = performance.now();
    try {
      for (const tenant of plan) {
        const id = tenantIds.get(tenant.slug);
        if (!id) throw new Error(`tenant ${tenant.slug} was not provisioned`);
        await seedTenant(session, encoding, id, tenant, progress, label);
      }
    } finally {
      await session.exec('ALTER TABLE embeddings ENABLE TRIGGER embeddings_search_stats_insert');
    }
    report(progress, label, true);
    const loadMs = performance.now() - loadStarted;
    const indexMs = new Map<string, number>();
    process.stderr.write(`  ${label}: counting BM25's term statistics\n`);
    const statsStarted = performance.now();
    await session.exec(RECOUNT_SEARCH_STATS);
    indexMs.set('search_terms, search_corpus (recount)', performance.now() - statsStarted);
    const memory = options.maintenanceWorkMem ?? (database.kind === 'postgres' ? '2GB' : '512MB');
    for (const index of indexes) {
      process.stderr.write(`  ${label}: building ${index.name}\n`);
      const started = performance.now();
      await session.exec(`BEGIN; SET LOCAL maintenance_work_mem = '${memory}'; ${index.create}; COMMIT`);
      indexMs.set(index.name, performance.now() - started);
    }
    const analyzeStarted = performance.now();
    await session.exec('VACUUM ANALYZE embeddings');
    await session.exec('VACUUM ANALYZE documents');
    await session.exec('VACUUM ANALYZE knowledge_bases');
    return { tenantIds, loadMs, indexMs, analyzeMs: performance.now() - analyzeStarted };
  });
}
