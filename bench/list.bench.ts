/**
 * Knowledge index benchmark: GET /routes/knowledge/{tenant}/index through the HTTP API of the real
 * app, on tenants of 1k, 10k and 100k entries seeded in bulk (bench/list-seed.ts), beside four
 * smaller tenants (a tenth of the size each) that the list must not see.
 *
 *   npx nx run backend:bench-list                                   # PGlite only
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-list
 *
 * With an admin URL both engines run, PostgreSQL first. Per scenario: 20 untimed requests, then
 * 200 in a row, one at a time; p50/p95 of the client's time from request to the whole body.
 * Every answer's total_count is checked against a count made directly in SQL.
 *
 * Settings: BENCH_ENGINES (postgres,pglite), BENCH_LIST_SIZES (1000,10000,100000),
 * BENCH_LIST_PGLITE_SIZES (1000,10000), BENCH_LIST_RUNS (200), BENCH_LIST_WARMUP (20),
 * BENCH_LIST_ANALYZE: auto (VACUUM ANALYZE after seeding on PostgreSQL, as autovacuum would soon
 * do; nothing on PGlite, which runs no autovacuum), always or never.
 */
import { startBenchApp, type BenchApp } from './bench-app.js';
import { BENCH_QUERY, seedEntries } from './list-seed.js';

type Engine = 'postgres' | 'pglite';

const numbers = (value: string | undefined, fallback: string): number[] => (value ?? fallback).split(',').map(Number);
const ADMIN = process.env['BENCH_POSTGRES_ADMIN_URL'];
const ENGINES = (process.env['BENCH_ENGINES'] ?? (ADMIN ? 'postgres,pglite' : 'pglite')).split(',') as Engine[];
const SIZES: Record<Engine, number[]> = {
  postgres: numbers(process.env['BENCH_LIST_SIZES'], '1000,10000,100000'),
  pglite: numbers(process.env['BENCH_LIST_PGLITE_SIZES'], '1000,10000'),
};
const RUNS = Number(process.env['BENCH_LIST_RUNS'] ?? 200);
const WARMUP = Number(process.env['BENCH_LIST_WARMUP'] ?? 20);
const ANALYZE = process.env['BENCH_LIST_ANALYZE'] ?? 'auto';
const NEIGHBOURS = 4;

interface Scenario {
  label: string;
  query: string;
  /** The matching entries of the tenant, counted directly ($1: tenant id). */
  countSql: string;
  offset: number;
  limit: number;
}

const scenarios = (size: number): Scenario[] => {
  const deep = Math.floor(size * 0.9);
  const kb = 'SELECT count(*)::int AS n FROM knowledge_bases WHERE tenant_id = $1::uuid';
  return [
    { label: 'index', query: '', countSql: kb, offset: 0, limit: 20 },
    { label: 'limit=100', query: '?limit=100', countSql: kb, offset: 0, limit: 100 },
    { label: `tag=${BENCH_QUERY.tag}`, query: `?tag=${BENCH_QUERY.tag}`, countSql: `${kb} AND '${BENCH_QUERY.tag}' = ANY(tags)`, offset: 0, limit: 20 },
    { label: `status=${BENCH_QUERY.status}`, query: `?status=${BENCH_QUERY.status}`, countSql: `${kb} AND status = '${BENCH_QUERY.status}'`, offset: 0, limit: 20 },
    { label: `q=${BENCH_QUERY.q}`, query: `?q=${BENCH_QUERY.q}`, countSql: `${kb} AND title ILIKE '%${BENCH_QUERY.q}%'`, offset: 0, limit: 20 },
    { label: `offset=${deep}`, query: `?offset=${deep}`, countSql: kb, offset: deep, limit: 20 },
  ];
};

interface Timing {
  label: string;
  total: number;
  p50: number;
  p95: number;
}

const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;

async function getIndex(app: BenchApp, tenant: string, query: string): Promise<{ entries: unknown[]; total_count: number }> {
  const res = await fetch(`${app.baseUrl}/routes/knowledge/${tenant}/index${query}`);
  const body = await res.text();
  if (res.status !== 200) throw new Error(`index${query} answered ${res.status}: ${body}`);
  return JSON.parse(body) as { entries: unknown[]; total_count: number };
}

/** Provisions the tenant through the API (as a first visit does) and returns its id. */
async function provision(app: BenchApp, slug: string): Promise<string> {
  await getIndex(app, slug, '');
  const [row] = await app.database.query<{ id: string }>('SELECT id::text AS id FROM tenants WHERE slug = $1', [slug]);
  if (!row) throw new Error(`tenant ${slug} was not provisioned`);
  return row.id;
}

async function measure(app: BenchApp, tenantId: string, s: Scenario): Promise<Timing> {
  const [expected] = await app.database.query<{ n: number }>(s.countSql, [tenantId]);
  const first = await getIndex(app, 'bench', s.query);
  const wantRows = Math.max(0, Math.min(s.limit, (expected?.n ?? 0) - s.offset));
  if (first.total_count !== expected?.n || first.entries.length !== wantRows) {
    throw new Error(`${s.label}: total_count ${first.total_count} and ${first.entries.length} entries, expected ${expected?.n} and ${wantRows}`);
  }
  for (let i = 0; i < WARMUP; i++) await getIndex(app, 'bench', s.query);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await getIndex(app, 'bench', s.query);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { label: s.label, total: first.total_count, p50: percentile(times, 50), p95: percentile(times, 95) };
}

async function runSize(engine: Engine, size: number): Promise<string[]> {
  const app = await startBenchApp({}, { engine });
  try {
    const seedStarted = performance.now();
    const tenantId = await provision(app, 'bench');
    await seedEntries(app.database, tenantId, size);
    for (let n = 1; n <= NEIGHBOURS; n++) await seedEntries(app.database, await provision(app, `neighbour-${n}`), Math.ceil(size / 10));
    const analyze = ANALYZE === 'always' || (ANALYZE === 'auto' && engine === 'postgres');
    if (analyze) for (const table of ['knowledge_bases', 'documents']) await app.database.exec(`VACUUM ANALYZE ${table}`);
    const seedMs = performance.now() - seedStarted;
    const [docs] = await app.database.query<{ entries: number; documents: number }>(
      `SELECT count(DISTINCT knowledge_base_id)::int AS entries, count(*)::int AS documents FROM documents WHERE tenant_id = $1::uuid`,
      [tenantId],
    );
    const lines = [
      `${engine}, ${size} entries (${docs?.entries} with ${docs?.documents} documents) + ${NEIGHBOURS} tenants of ${Math.ceil(size / 10)}: ` +
        `seeded in ${(seedMs / 1000).toFixed(1)} s${analyze ? ' (with VACUUM ANALYZE)' : ', not analyzed'}`,
    ];
    for (const s of scenarios(size)) {
      const t = await measure(app, tenantId, s);
      lines.push(`| ${engine} | ${size} | ${t.label} | ${t.total} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} |`);
      process.stderr.write(`${lines[lines.length - 1]}\n`);
    }
    return lines;
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const header = ['| engine | entries | request | total_count | p50 ms | p95 ms |', '|---|---|---|---|---|---|'];
  const notes: string[] = [];
  const rows: string[] = [];
  for (const engine of ENGINES) {
    for (const size of SIZES[engine]) {
      const [note, ...lines] = await runSize(engine, size);
      if (note) notes.push(note);
      rows.push(...lines);
    }
  }
  process.stdout.write(
    `Knowledge index benchmark: GET /routes/knowledge/bench/index, ${WARMUP} warm-up then ${RUNS} requests one at a time per row\n\n` +
      `${notes.join('\n')}\n\n${[...header, ...rows].join('\n')}\n`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
