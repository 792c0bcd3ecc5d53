/**
 * Ingestion benchmark: uploads 10-page PDFs through the HTTP API and times them to `ready`.
 *
 *   npx nx run backend:bench                      # embedded PGlite
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench
 *
 * Two embedders: the offline lexical one, and the real `openai` SDK against a loopback
 * OpenAI-compatible server that adds 100 ms to every request. Prints, for each: the time from
 * upload to ready for one 10-page PDF (median of several), and the throughput of a batch of PDFs
 * uploaded together (pages/s, chunks/s), plus embedding requests per 100 chunks.
 */
import { FakeOpenAiServer } from '../backend/test/support/fake-openai-server.js';
import { makeBenchPdf } from './bench-pdf.js';
import { startBenchApp, type BenchApp } from './bench-app.js';

const PAGES = 10;
const SINGLE_RUNS = Number(process.env['BENCH_SINGLE_RUNS'] ?? 7);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 16);

interface Entry {
  id: string;
  status: string;
  chunk_count: number;
  created_at: string;
  documents: { status: string; error: string | null; processed_at: string | null }[];
}

/** Upload to ready as the server saw it: the entry's creation to its last document's completion. */
const serverMs = (e: Entry): number =>
  Math.max(...e.documents.map((d) => Date.parse(d.processed_at ?? ''))) - Date.parse(e.created_at);

let seed = 0;

async function upload(app: BenchApp, pdf: Buffer, name: string): Promise<string> {
  const form = new FormData();
  form.append('title', name);
  form.append('type', 'Reference');
  form.append('intent', 'Technical');
  form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), `${name}.pdf`);
  const res = await fetch(`${app.baseUrl}/routes/knowledge/bench/`.replace(/\/$/, ''), { method: 'POST', body: form });
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as Entry).id;
}

async function waitReady(app: BenchApp, id: string): Promise<Entry> {
  for (;;) {
    const entry = (await (await fetch(`${app.baseUrl}/routes/knowledge/bench/${id}`)).json()) as Entry;
    if (entry.status === 'ready') return entry;
    if (entry.documents.some((d) => d.status === 'failed')) throw new Error(`failed: ${entry.documents[0]?.error}`);
    // polls lightly: the timings come from the server's own timestamps, not from this loop
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One light request per 100 ms for the whole batch, so polling does not load the server it measures. */
async function waitAllReady(app: BenchApp, ids: string[]): Promise<void> {
  const wanted = new Set(ids);
  for (;;) {
    const page = (await (await fetch(`${app.baseUrl}/routes/knowledge/bench/index?limit=100`)).json()) as { entries: Entry[] };
    const mine = page.entries.filter((e) => wanted.has(e.id));
    if (mine.some((e) => e.status === 'failed' || e.status === 'partial')) throw new Error('a batch document failed');
    if (mine.length === wanted.size && mine.every((e) => e.status === 'ready')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
};

interface Result {
  label: string;
  singleMs: number[];
  chunksPerPdf: number;
  batchMs: number;
  batchChunks: number;
  singleRequests: number | null;
  batchRequests: number | null;
}

async function scenario(label: string, env: Record<string, string>, fake: FakeOpenAiServer | null): Promise<Result> {
  const app = await startBenchApp(env);
  try {
    // warm-up: first PDF loads the parser in the worker threads and the tokenizer
    await waitReady(app, await upload(app, await makeBenchPdf(PAGES, seed++), `warmup-${label}`));
    fake?.reset();

    const singleMs: number[] = [];
    let chunksPerPdf = 0;
    for (let i = 0; i < SINGLE_RUNS; i++) {
      const pdf = await makeBenchPdf(PAGES, seed++);
      const entry = await waitReady(app, await upload(app, pdf, `single-${label}-${i}`));
      singleMs.push(serverMs(entry));
      chunksPerPdf = entry.chunk_count;
    }

    const singleRequests = fake ? fake.requestCount : null;
    fake?.reset();
    const pdfs = await Promise.all(Array.from({ length: BATCH }, () => makeBenchPdf(PAGES, seed++)));
    const ids = await Promise.all(pdfs.map((pdf, i) => upload(app, pdf, `batch-${label}-${i}`)));
    await waitAllReady(app, ids);
    const entries = await Promise.all(ids.map((id) => waitReady(app, id)));
    const batchMs =
      Math.max(...entries.flatMap((e) => e.documents.map((d) => Date.parse(d.processed_at ?? '')))) -
      Math.min(...entries.map((e) => Date.parse(e.created_at)));
    const batchChunks = entries.reduce((n, e) => n + e.chunk_count, 0);
    return { label, singleMs, chunksPerPdf, batchMs, batchChunks, singleRequests, batchRequests: fake ? fake.requestCount : null };
  } finally {
    await app.close();
  }
}

function report(engine: string, results: Result[]): void {
  const lines = [
    `Ingestion benchmark: ${PAGES}-page PDFs through the HTTP API, engine ${engine}, ${SINGLE_RUNS} single runs, batch of ${BATCH}`,
    '',
    '| embedder | 10-page PDF upload→ready (median, min-max) | chunks/PDF | requests/PDF alone | batch pages/s | batch chunks/s | batch requests per 100 chunks |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    const perPdf = r.singleRequests === null ? 'n/a' : (r.singleRequests / SINGLE_RUNS).toFixed(2);
    const perHundred = r.batchRequests === null ? 'n/a (offline)' : ((100 * r.batchRequests) / r.batchChunks).toFixed(2);
    lines.push(
      `| ${r.label} | ${median(r.singleMs).toFixed(0)} ms (${Math.min(...r.singleMs).toFixed(0)}-${Math.max(...r.singleMs).toFixed(0)}) | ${r.chunksPerPdf} | ${perPdf} | ${((BATCH * PAGES) / (r.batchMs / 1000)).toFixed(1)} | ${(r.batchChunks / (r.batchMs / 1000)).toFixed(1)} | ${perHundred} |`,
    );
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const results: Result[] = [];
  results.push(await scenario('offline lexical', {}, null));
  const fake = await new FakeOpenAiServer({ latencyMs: 100 }).start();
  try {
    results.push(await scenario('OpenAI SDK, loopback +100 ms', { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url }, fake));
  } finally {
    await fake.close();
  }
  report(process.env['BENCH_POSTGRES_ADMIN_URL'] ? 'postgres' : 'pglite', results);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
