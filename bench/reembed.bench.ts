/**
 * `npx nx run backend:bench-reembed` (PostgreSQL: BENCH_POSTGRES_ADMIN_URL): re-embedding a tenant
 * of BENCH_REEMBED_CHUNKS chunks (20,000 by default) beside a running server. The server (in this
 * process) holds the tenant's chunks embedded by the offline embedder and is configured with
 * text-embedding-3-small at a loopback OpenAI-compatible server (its own process, adding
 * BENCH_EMBEDDING_LATENCY_MS to every request); `dist/backend/ops/reembed.js --tenant big` runs as
 * its own process while a client searches the tenant back to back (semantic and hybrid in turn).
 * Prints the task's output, how long staging and the swap took, and the searches' latency and
 * failures before, during staging, during the swap and after.
 */
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';
import { resolve } from 'node:path';

import { startBenchApp } from './bench-app.js';
import { startEmbeddingServerProcess } from './embedding-server-process.js';
import { percentile } from './load/route-stats.js';
import { makeQueries } from './search-corpus.js';
import { seedSearchCorpus } from './search-seed.js';

const CHUNKS = Number(process.env['BENCH_REEMBED_CHUNKS'] ?? 20_000);
const OTHER_CHUNKS = Math.max(1, Math.round(CHUNKS / 10));
const LATENCY_MS = Number(process.env['BENCH_EMBEDDING_LATENCY_MS'] ?? 100);
const MODEL = 'text-embedding-3-small';

type Phase = 'before' | 'staging' | 'swap' | 'after';
const PHASES: readonly Phase[] = ['before', 'staging', 'swap', 'after'];

interface Sample {
  phase: Phase;
  ms: number;
  status: number;
  model: string;
}

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(1) : '-');

async function main(): Promise<void> {
  const admin = process.env['BENCH_POSTGRES_ADMIN_URL'];
  if (!admin) {
    // PGlite's directory belongs to one process: the task runs with the server stopped, so there is nothing to measure beside it
    console.log('bench-reembed needs PostgreSQL (BENCH_POSTGRES_ADMIN_URL): on the embedded database the task runs with the server stopped');
    return;
  }
  const embeddings = await startEmbeddingServerProcess(LATENCY_MS);
  const openAi = { OPENAI_API_KEY: embeddings.apiKey, OPENAI_BASE_URL: embeddings.url, EMBEDDING_MODEL: MODEL };
  const app = await startBenchApp({ ...openAi, INGESTION_POLL_MS: '3600000' }, { engine: 'postgres' });
  try {
    const url = new URL(admin);
    url.pathname = `/${app.databaseName ?? ''}`;
    const ids = new Map<string, string>();
    for (const slug of ['big', 'other']) {
      const res = await fetch(`${app.baseUrl}/routes/knowledge/${slug}/index`);
      if (res.status !== 200) throw new Error(`index of ${slug} answered ${res.status}`);
      const [row] = await app.database.query<{ id: string }>('SELECT id::text AS id FROM tenants WHERE slug = $1', [slug]);
      ids.set(slug, row?.id ?? '');
    }
    process.stderr.write(`seeding ${CHUNKS.toLocaleString('en-US')} chunks (and ${OTHER_CHUNKS.toLocaleString('en-US')} of another tenant) embedded offline\n`);
    await seedSearchCorpus(app.database, [{ slug: 'big', chunks: CHUNKS }, { slug: 'other', chunks: OTHER_CHUNKS }], ids, { label: 'postgres' });

    let phase: Phase = 'before';
    const samples: Sample[] = [];
    const queries = makeQueries(50);
    let stop = false;
    const client = (async () => {
      for (let i = 0; !stop; i++) {
        const started = performance.now();
        const res = await fetch(`${app.baseUrl}/routes/knowledge/big/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: queries[i % queries.length], mode: i % 2 === 0 ? 'semantic' : 'hybrid', top_k: 10 }),
        });
        const body = (await res.json()) as { embedding_model?: string };
        samples.push({ phase, ms: performance.now() - started, status: res.status, model: body.embedding_model ?? '' });
      }
    })();
    // a moment of searches before the task starts: the baseline
    while (samples.length < 100) await new Promise((r) => setTimeout(r, 50));

    const output: string[] = [];
    const marks: Partial<Record<Phase, number>> = {};
    const started = performance.now();
    const task = spawn(process.execPath, [resolve('dist/backend/ops/reembed.js'), '--tenant', 'big'], {
      env: { PATH: process.env['PATH'] ?? '', DATABASE_URL: url.toString(), MIGRATIONS_DIR: resolve('prisma/migrations'), ...openAi },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    phase = 'staging';
    marks.staging = started;
    let pending = '';
    task.stdout.on('data', (data: Buffer) => {
      pending += data.toString();
      for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n')) {
        const line = pending.slice(0, at);
        pending = pending.slice(at + 1);
        output.push(line);
        process.stderr.write(`  ${line}\n`);
        // the last step staged: the swap starts
        if (/^big: .* chunks \(100%\)$/.test(line)) {
          phase = 'swap';
          marks.swap = performance.now();
        }
        if (/^big: swapped /.test(line)) {
          phase = 'after';
          marks.after = performance.now();
        }
      }
    });
    const code = await new Promise<number | null>((done) => task.on('exit', done));
    const afterCount = samples.length;
    while (samples.length < afterCount + 100) await new Promise((r) => setTimeout(r, 50));
    stop = true;
    await client;

    const seconds = (from?: number, to?: number): string => (from !== undefined && to !== undefined ? ((to - from) / 1000).toFixed(1) : '-');
    console.log(`\nre-embedding a tenant of ${CHUNKS.toLocaleString('en-US')} chunks beside a running server (PostgreSQL, embeddings API +${LATENCY_MS} ms a request)`);
    console.log(`load average: ${loadavg().map((l) => l.toFixed(2)).join(', ')} (1, 5, 15 min) on ${availableParallelism()} CPUs; task exit code ${code}`);
    console.log(`staging ${seconds(marks.staging, marks.swap)} s, swap (as the task measures it) ${output.find((l) => l.startsWith('big: swapped'))?.replace(/^.* transaction of /, '') ?? '-'}`);
    console.log(`last line: ${output.at(-1) ?? ''}`);
    console.log('\n| phase | searches | failed | p50 ms | p95 ms | max ms | embedding_model |');
    console.log('|---|---|---|---|---|---|---|');
    for (const p of PHASES) {
      const of = samples.filter((s) => s.phase === p);
      const times = of.map((s) => s.ms).sort((a, b) => a - b);
      const failed = of.filter((s) => s.status !== 200);
      const models = [...new Set(of.map((s) => s.model))].join(', ');
      const statuses = failed.length > 0 ? ` (${[...new Set(failed.map((s) => s.status))].join(', ')})` : '';
      console.log(`| ${p} | ${of.length} | ${failed.length}${statuses} | ${ms(percentile(times, 50))} | ${ms(percentile(times, 95))} | ${ms(times.at(-1) ?? NaN)} | ${models} |`);
    }
  } finally {
    await app.close();
    await embeddings.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
