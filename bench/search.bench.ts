/**
 * Search benchmark: POST /routes/knowledge/{tenant}/search through the HTTP API of the real app,
 * per mode (semantic cosine, semantic L2, keyword, hybrid), for a tenant holding half the rows,
 * one holding 8 % and one holding 0.1 %, beside six filler tenants (bench/search-seed.ts), over
 * texts with real topic structure embedded by the offline lexical embedder (bench/search-corpus.ts).
 *
 *   npx nx run backend:bench-search                                     # PGlite only
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-search
 *   ... npx nx run backend:bench-search -- --chunks 1000000 --engines postgres
 *
 * Flags: --chunks N (PostgreSQL, 100000), --pglite-chunks N (20000), --queries N (100),
 * --engines postgres,pglite (both when BENCH_POSTGRES_ADMIN_URL is set, else pglite),
 * --hnsw-with=m=16,ef_construction=200 (HNSW build parameters instead of the migrations'),
 * --maintenance-work-mem=8GB (for the index builds; 2GB on PostgreSQL by default),
 * --ef-sweep 100,200,400 (recall@10 and latency of the raw HNSW query at each hnsw.ef_search).
 * SEARCH_* variables in the environment (e.g. SEARCH_HNSW_EF_SEARCH=200) pass to the app.
 * The machine's load average is printed before and after measuring: on a shared machine it moves
 * p95 more than anything measured here.
 *
 * Per tenant and mode: one untimed pass over all the queries (it warms the database's caches and
 * the service's query-embedding LRU cache, although the lexical embedder takes well under 1 ms a
 * query anyway), then one timed pass, one request at a time: p50/p95 of the client's time from
 * request to parsed body, and p95 of the server's took_ms. "plan" is the path the service takes
 * (exact up to SEARCH_EXACT_MAX_CHUNKS, else HNSW) and what PostgreSQL's planner made of its
 * statement for the first query (plain EXPLAIN): with a high hnsw.ef_search or a tenant holding
 * most rows it may prefer scanning the tenant's rows to the index. Semantic rows also show:
 * - recall@10 against exact search (hand-written SQL comparing every vector of the tenant); a
 *   result counts when its distance is within 1e-6 of the exact 10th distance, so ties do not
 *   count as misses; L2 is checked against the cosine ground truth (the vectors are unit-length,
 *   so both orders agree);
 * - raw SQL p50/p95: the same query hand-written and timed on one database session (BEGIN, the
 *   service's settings, the query, COMMIT), to show what the service adds.
 * Per tenant, below the table: the service's statements for a semantic search timed one by one on
 * a session (where the time between raw SQL and HTTP goes), and how many chunks keyword search
 * scores per query. Then EXPLAIN (ANALYZE, BUFFERS) of the service's semantic statement for each
 * tenant and of its keyword statement for the half tenant's widest query (most matching chunks).
 */
import { availableParallelism, loadavg } from 'node:os';

import type { SearchConfig } from '../backend/src/config/app-config.js';
import { loadAppConfig } from '../backend/src/config/load-app-config.js';
import type { VectorMetric } from '../backend/src/embeddings/embedding-chunk.js';
import { LexicalEmbeddingProvider } from '../backend/src/embeddings/providers/lexical-embedding-provider.js';
import { startBenchApp, type BenchApp } from './bench-app.js';
import { makeQueries } from './search-corpus.js';
import { seedSearchCorpus, tenantPlan } from './search-seed.js';
import {
  exactTenthDistances,
  explainServiceQuery,
  keywordMatchCounts,
  plannedScan,
  semanticPath,
  sweepEfSearch,
  timeRawSemantic,
  timeServiceStatements,
  type SemanticSettings,
} from './search-sql.js';

type Engine = 'postgres' | 'pglite';
type Mode = 'semantic' | 'keyword' | 'hybrid';

const flag = (name: string): string | undefined => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
};
const ADMIN = process.env['BENCH_POSTGRES_ADMIN_URL'];
const ENGINES = (flag('engines') ?? (ADMIN ? 'postgres,pglite' : 'pglite')).split(',') as Engine[];
const CHUNKS: Record<Engine, number> = { postgres: Number(flag('chunks') ?? 100_000), pglite: Number(flag('pglite-chunks') ?? 20_000) };
const QUERIES = Number(flag('queries') ?? 100);
const HNSW_WITH = flag('hnsw-with');
const MAINTENANCE_WORK_MEM = flag('maintenance-work-mem');
const EF_SWEEP = (flag('ef-sweep') ?? '').split(',').filter(Boolean).map(Number);
const MEASURED = ['half', 'mid', 'small'] as const;
const TIE = 1e-6;

/** SEARCH_* settings from the environment, passed to the app explicitly (startBenchApp passes only its own prefixes). */
const SEARCH_ENV = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0].startsWith('SEARCH_') && e[1] !== undefined));
const SETTINGS: SearchConfig & SemanticSettings = loadAppConfig({ NODE_ENV: 'test', DATA_DIR: 'memory://', ...SEARCH_ENV }).search;

interface Scenario {
  label: string;
  mode: Mode;
  metric: VectorMetric;
}
const SCENARIOS: Scenario[] = [
  { label: 'semantic cosine', mode: 'semantic', metric: 'cosine' },
  { label: 'semantic l2', mode: 'semantic', metric: 'l2' },
  { label: 'keyword', mode: 'keyword', metric: 'cosine' },
  { label: 'hybrid', mode: 'hybrid', metric: 'cosine' },
];

interface SearchAnswer {
  results: { score: number; chunk_id: string }[];
  took_ms: number;
}

const percentile = (values: readonly number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
};
/** A plan line with its inlined query vector abbreviated. */
const shortenVectors = (line: string): string => line.replace(/'\[[^\]]{200,}\]'/g, (v) => `'[${v.split(',').length} values]'`);
const loadAverage = (): string => `${loadavg().map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min) on ${availableParallelism()} CPUs`;
const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '-');

async function search(app: BenchApp, slug: string, query: string, s: Scenario): Promise<SearchAnswer> {
  const res = await fetch(`${app.baseUrl}/routes/knowledge/${slug}/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query, mode: s.mode, metric: s.metric, top_k: 10 }),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`search ${slug} ${s.label} answered ${res.status}: ${body}`);
  return JSON.parse(body) as SearchAnswer;
}

/** Provisions the tenant through the API (as a first visit does) and returns its id. */
async function provision(app: BenchApp, slug: string): Promise<string> {
  const res = await fetch(`${app.baseUrl}/routes/knowledge/${slug}/index`);
  if (res.status !== 200) throw new Error(`index of ${slug} answered ${res.status}: ${await res.text()}`);
  const [row] = await app.database.query<{ id: string }>('SELECT id::text AS id FROM tenants WHERE slug = $1', [slug]);
  if (!row) throw new Error(`tenant ${slug} was not provisioned`);
  return row.id;
}

/** Share of results within the exact 10th distance (cosine distance, or L2 distance of unit vectors). */
function recall(answers: readonly SearchAnswer[], tenth: readonly number[], metric: VectorMetric): number {
  let hits = 0;
  answers.forEach((a, q) => {
    const bound = (tenth[q] ?? 0) + TIE;
    for (const r of a.results.slice(0, 10)) {
      // score is 1 - cosine distance, or 1 / (1 + L2 distance); for unit vectors L2² = 2 × cosine distance
      const distance = metric === 'cosine' ? 1 - r.score : (1 / r.score - 1) ** 2 / 2;
      if (distance <= bound + (metric === 'l2' ? 1e-5 : 0)) hits++;
    }
  });
  return hits / (answers.length * 10);
}

const pair = (values: readonly number[]): string => `${ms(percentile(values, 50))} / ${ms(percentile(values, 95))}`;

/** The table rows of one tenant (every mode), then its diagnostic lines. */
async function measureTenant(app: BenchApp, slug: string, chunks: number, tenantId: string, queries: readonly string[], vectors: readonly number[][]): Promise<{ rows: string[]; notes: string[] }> {
  const path = semanticPath(chunks, SETTINGS);
  const tenth = await exactTenthDistances(app.database, tenantId, vectors);
  const rows: string[] = [];
  for (const s of SCENARIOS) {
    for (const q of queries) await search(app, slug, q, s);
    const client: number[] = [];
    const answers: SearchAnswer[] = [];
    for (const q of queries) {
      const started = performance.now();
      answers.push(await search(app, slug, q, s));
      client.push(performance.now() - started);
    }
    const server = percentile(answers.map((a) => a.took_ms), 95);
    let extra = '| - | - | - |';
    let planned = s.mode === 'keyword' ? 'gin' : `${path}: ${await plannedScan(app.database, tenantId, vectors[0] ?? [], { metric: s.metric, path, limit: s.mode === 'hybrid' ? 10 * SETTINGS.candidatesPerResult : 10 }, SETTINGS)}`;
    if (s.mode === 'semantic') {
      const raw = await timeRawSemantic(app.database, tenantId, vectors, s.metric, path, SETTINGS);
      extra = `| ${recall(answers, tenth, s.metric).toFixed(3)} | ${ms(percentile(raw, 50))} | ${ms(percentile(raw, 95))} |`;
    }
    if (s.mode === 'hybrid') planned += ' + gin';
    rows.push(`| ${slug} (${chunks}) | ${planned} | ${s.label} | ${ms(percentile(client, 50))} | ${ms(percentile(client, 95))} | ${server} ${extra}`);
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
  const parts = await timeServiceStatements(app.database, tenantId, vectors, path, SETTINGS);
  const matches = await keywordMatchCounts(app.database, tenantId, queries);
  const notes = [
    `${slug} (${chunks}): the service's statements for a semantic search, one by one on one session, p50 / p95 ms: ` +
      [...parts].map(([label, times]) => `${label} ${pair(times)}`).join('; '),
    `${slug} (${chunks}): chunks keyword search scores (holding any query lexeme) per query: p50 ${percentile(matches, 50)}, p95 ${percentile(matches, 95)}, max ${Math.max(...matches)}`,
  ];
  if (path === 'hnsw') {
    for (const ef of EF_SWEEP) {
      const { times, recall: r } = await sweepEfSearch(app.database, tenantId, vectors, tenth, ef);
      notes.push(`${slug} (${chunks}): raw HNSW query at hnsw.ef_search=${ef}: recall@10 ${r.toFixed(3)}, p50 / p95 ${pair(times)} ms`);
    }
  }
  return { rows, notes };
}

async function runEngine(engine: Engine): Promise<string[]> {
  const total = CHUNKS[engine];
  // the ingestion worker has nothing to do here: polling every hour keeps it off PGlite's one connection during the bulk load
  const app = await startBenchApp({ INGESTION_POLL_MS: '3600000', ...SEARCH_ENV }, { engine });
  try {
    const plan = tenantPlan(total);
    const ids = new Map<string, string>();
    for (const t of plan) ids.set(t.slug, await provision(app, t.slug));
    process.stderr.write(`${engine}: seeding ${total.toLocaleString('en-US')} chunks over ${plan.length} tenants\n`);
    const seeded = await seedSearchCorpus(app.database, plan, ids, { label: engine, hnswWith: HNSW_WITH, maintenanceWorkMem: MAINTENANCE_WORK_MEM });
    const queries = makeQueries(QUERIES);
    const embedder = new LexicalEmbeddingProvider();
    const vectors = queries.map((q) => embedder.embedText(q));
    const lines = [
      `${engine}: ${total.toLocaleString('en-US')} chunks; load ${(seeded.loadMs / 1000).toFixed(1)} s, ` +
        [...seeded.indexMs].map(([name, t]) => `${name} ${(t / 1000).toFixed(1)} s`).join(', ') +
        `, VACUUM ANALYZE ${(seeded.analyzeMs / 1000).toFixed(1)} s; HNSW built ${HNSW_WITH ? `WITH (${HNSW_WITH})` : 'with the migrations\' defaults (m 16, ef_construction 64)'}`,
      `load average before measuring: ${loadAverage()}`,
      '',
      '| tenant (chunks) | plan | mode | p50 ms | p95 ms | server took_ms p95 | recall@10 | raw SQL p50 ms | raw SQL p95 ms |',
      '|---|---|---|---|---|---|---|---|---|',
    ];
    const notes: string[] = [];
    for (const slug of MEASURED) {
      const chunks = plan.find((t) => t.slug === slug)?.chunks ?? 0;
      const measured = await measureTenant(app, slug, chunks, ids.get(slug)!, queries, vectors);
      lines.push(...measured.rows);
      notes.push(...measured.notes);
    }
    lines.push(`load average after: ${loadAverage()}`, '', ...notes);
    // the keyword plan of the query matching the most chunks of the half tenant: the worst case
    const counts = await keywordMatchCounts(app.database, ids.get('half')!, queries);
    const widest = queries[counts.indexOf(Math.max(...counts))] ?? queries[0];
    const explain = async (slug: string, kind: 'semantic' | 'keyword', query: string): Promise<void> => {
      const chunks = plan.find((t) => t.slug === slug)?.chunks ?? 0;
      const path = semanticPath(chunks, SETTINGS);
      const vector = embedder.embedText(query);
      const plain = await explainServiceQuery(app.database, ids.get(slug)!, kind, query, vector, path, SETTINGS);
      lines.push('', `EXPLAIN (ANALYZE, BUFFERS) ${kind} (${kind === 'semantic' ? path : 'bm25, 10 deep'}), tenant ${slug} (${chunks}), query "${query}":`, ...plain.map((l) => `    ${shortenVectors(l)}`));
    };
    await explain('half', 'semantic', queries[0]);
    await explain('mid', 'semantic', queries[0]);
    await explain('small', 'semantic', queries[0]);
    await explain('half', 'keyword', widest);
    return lines;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const out: string[] = [
    `Search benchmark: POST /routes/knowledge/{tenant}/search, top_k 10, ${QUERIES} queries: one untimed pass, then one timed pass per row, one request at a time`,
    `Settings: hnsw.ef_search ${SETTINGS.efSearch}, exact search up to ${SETTINGS.exactMaxChunks} chunks, hybrid candidates ${SETTINGS.candidatesPerResult} x top_k per list` +
      (Object.keys(SEARCH_ENV).length > 0 ? ` (from ${Object.keys(SEARCH_ENV).join(', ')})` : ''),
  ];
  for (const engine of ENGINES) out.push('', ...(await runEngine(engine)));
  process.stdout.write(`${out.join('\n')}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
