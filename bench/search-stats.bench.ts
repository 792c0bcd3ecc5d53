/**
 * What keeping BM25's statistics costs ingestion: the triggers of migration
 * 20261202090000_search_terms (search_terms, search_corpus) against the same inserts without them.
 *
 *   npx nx run backend:bench-search-stats                 # embedded PGlite
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-search-stats
 *
 * Stores chunks as ingestion does (one transaction per batch under the tenant's id and role, 128
 * chunks a batch on PostgreSQL, 4 on PGlite, both HNSW indexes and the GIN index in place) after
 * a warm-up load, alternating rounds with the statistics triggers enabled and disabled, and prints
 * milliseconds per stored chunk for each.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, loadavg } from 'node:os';

import type { SqlSession } from '../backend/src/database/database-engine.js';
import { TENANT_ROLE } from '../backend/src/database/tenant-database.js';
import { LexicalEmbeddingProvider } from '../backend/src/embeddings/providers/lexical-embedding-provider.js';
import { toVectorParam } from '../backend/src/embeddings/vector-param.js';
import { startBenchApp } from './bench-app.js';
import { Rng, seedOf } from './corpus/rng.js';
import { chunkText, documentTopic } from './search-corpus.js';

const WARM_CHUNKS = Number(process.env['BENCH_WARM_CHUNKS'] ?? 3000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const CHUNKS_PER_ROUND = Number(process.env['BENCH_CHUNKS_PER_ROUND'] ?? 512);
const TRIGGER = 'embeddings_search_stats_insert';

interface Chunk {
  text: string;
  tokens: number;
  vector: string | Uint8Array;
}

const quantile = (xs: readonly number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? Number.NaN;
};

async function main(): Promise<void> {
  const app = await startBenchApp({ INGESTION_WORKER: 'false' });
  const engine = app.database.kind;
  const batchSize = engine === 'postgres' ? 128 : 4;
  const embedder = new LexicalEmbeddingProvider();
  const rng = new Rng(seedOf('search-stats-bench-v1'));
  const make = (n: number): Chunk[] => {
    const about = documentTopic(rng);
    return Array.from({ length: n }, () => {
      const { text, words } = chunkText(rng, about);
      return { text, tokens: Math.round(words * 1.3), vector: toVectorParam(embedder.embedText(text), engine === 'postgres' ? 'binary' : 'text') };
    });
  };
  try {
    const res = await fetch(`${app.baseUrl}/routes/knowledge/stats-bench/index`);
    if (res.status !== 200) throw new Error(`provisioning answered ${res.status}`);
    const [tenant] = await app.database.query<{ id: string }>("SELECT id::text AS id FROM tenants WHERE slug = 'stats-bench'");
    if (!tenant) throw new Error('tenant not provisioned');
    const tenantId = tenant.id;
    const results = await app.database.withSession(async (session) => {
      const [kb] = await session.query<{ id: string }>(
        `INSERT INTO knowledge_bases (tenant_id, title, type, intent, status) VALUES ($1::uuid, 'bench', 'Reference', 'Reference', 'ready') RETURNING id::text AS id`,
        [tenantId],
      );
      let documents = 0;
      /** One document's chunks, stored batch by batch as ingestion stores them; returns ms per chunk. */
      const store = async (chunks: readonly Chunk[]): Promise<number> => {
        const [doc] = await session.query<{ id: string }>(
          `INSERT INTO documents (tenant_id, knowledge_base_id, source_kind, content_hash, status) VALUES ($1::uuid, $2::uuid, 'text', $3, 'ready') RETURNING id::text AS id`,
          [tenantId, kb?.id, createHash('sha256').update(`bench-${documents++}`).digest('hex')],
        );
        const started = performance.now();
        for (let i = 0; i < chunks.length; i += batchSize) {
          await storeBatch(session, tenantId, kb?.id ?? '', doc?.id ?? '', i, chunks.slice(i, i + batchSize));
        }
        return (performance.now() - started) / chunks.length;
      };
      process.stderr.write(`${engine}: warm-up, ${WARM_CHUNKS} chunks\n`);
      for (let left = WARM_CHUNKS; left > 0; left -= CHUNKS_PER_ROUND) await store(make(Math.min(left, CHUNKS_PER_ROUND)));
      const perChunk = { with: [] as number[], without: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const withStats of round % 2 === 0 ? [true, false] : [false, true]) {
          const chunks = make(CHUNKS_PER_ROUND);
          await session.exec(`ALTER TABLE embeddings ${withStats ? 'ENABLE' : 'DISABLE'} TRIGGER ${TRIGGER}`);
          (withStats ? perChunk.with : perChunk.without).push(await store(chunks));
          process.stderr.write(`${engine}: round ${round + 1}/${ROUNDS} ${withStats ? 'with' : 'without'} statistics\n`);
        }
      }
      await session.exec(`ALTER TABLE embeddings ENABLE TRIGGER ${TRIGGER}`);
      return perChunk;
    });
    const median = (xs: number[]): number => quantile(xs, 0.5);
    const overhead = median(results.with) - median(results.without);
    console.log(`\nBM25 statistics triggers: ${engine}, ${batchSize} chunks a transaction, after ${WARM_CHUNKS} chunks; ${ROUNDS} rounds of ${CHUNKS_PER_ROUND} chunks each way`);
    console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')} on ${availableParallelism()} CPUs\n`);
    console.log('| statistics triggers | ms per stored chunk, median (min-max of rounds) |');
    console.log('|---|---|');
    for (const [label, xs] of [['enabled', results.with], ['disabled', results.without]] as const) {
      console.log(`| ${label} | ${median(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)}) |`);
    }
    console.log(`\ncost of the statistics: ${overhead.toFixed(2)} ms per chunk (${((overhead / median(results.without)) * 100).toFixed(1)} % of storing it)`);
  } finally {
    await app.close();
  }
}

/** One batch in its own transaction, as the tenant (row-level security and the triggers apply as in the service). */
async function storeBatch(session: SqlSession, tenantId: string, kbId: string, docId: string, from: number, chunks: readonly Chunk[]): Promise<void> {
  await session.query('BEGIN');
  try {
    await session.query(`SELECT set_config('app.tenant_id', $1, true), set_config('role', $2, true)`, [tenantId, TENANT_ROLE]);
    const width = 8;
    const values = chunks
      .map((_, r) => `($${r * width + 1}::uuid, $${r * width + 2}::uuid, $${r * width + 3}::uuid, $${r * width + 4}::int, $${r * width + 5}, $${r * width + 6}::int, $${r * width + 7}, $${r * width + 8}::vector, 'business-brain-lexical-v1')`)
      .join(', ');
    await session.query(
      `INSERT INTO embeddings (tenant_id, knowledge_base_id, document_id, position, content, token_count, content_hash, embedding_vector, model) VALUES ${values}`,
      chunks.flatMap((c, i) => [tenantId, kbId, docId, from + i, c.text, c.tokens, String(from + i).padEnd(64, '0'), c.vector]),
    );
    await session.query('COMMIT');
  } catch (error) {
    await session.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
