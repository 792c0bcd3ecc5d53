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
import { getEntry, uploadFile, waitAllReady, type Entry } from './bench-client.js';

const PAGES = 10;
const SINGLE_RUNS = Number(process.env['BENCH_SINGLE_RUNS'] ?? 7);
const BATCH = Number(process.env['BENCH_BATCH'] ?? 16);


/** Upload to ready as the server saw it: the entry's creation to its last document's completion. */
const serverMs = (e: Entry): number =>
  Math.max(...e.documents.map((d) => Date.parse(d.processed_at ?? ''))) - Date.parse(e.created_at);

let seed = 0;


async function waitReady(app: BenchApp, id: string): Promise<Entry> {
  for (;;) {
    const entry = await getEntry(app, id);
    if (entry.status === 'ready') return entry;
    if (entry.documents.some((d) => d.status === 'failed')) throw new Error(`failed: ${entry.documents[0]?.error}`);
    // polls lightly: the timings come from the server's own timestamps, not from this loop
    await new Promise((r) => setTimeout(r, 50));
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
  /** Inputs of each embedding request of the batch, in order. */
  batchInputs: number[];
}

async function scenario(label: string, env: Record<string, string>, fake: FakeOpenAiServer | null): Promise<Result> {
  const app = await startBenchApp(env);
  try {
    // warm-up: first PDF loads the parser in the worker threads and the tokenizer
    await waitReady(app, await uploadFile(app, await makeBenchPdf(PAGES, seed++), `warmup-${label}`, 'application/pdf'));
    fake?.reset();

    const singleMs: number[] = [];
    let chunksPerPdf = 0;
    for (let i = 0; i < SINGLE_RUNS; i++) {
      const pdf = await makeBenchPdf(PAGES, seed++);
      const entry = await waitReady(app, await uploadFile(app, pdf, `single-${label}-${i}`, 'application/pdf'));
      singleMs.push(serverMs(entry));
      chunksPerPdf = entry.chunk_count;
    }

    const singleRequests = fake ? fake.requestCount : null;
    fake?.reset();
    const pdfs = await Promise.all(Array.from({ length: BATCH }, () => makeBenchPdf(PAGES, seed++)));
    const ids = await Promise.all(pdfs.map((pdf, i) => uploadFile(app, pdf, `batch-${label}-${i}`, 'application/pdf')));
    const entries = await waitAllReady(app, ids);
    const batchMs =
      Math.max(...entries.flatMap((e) => e.documents.map((d) => Date.parse(d.processed_at ?? '')))) -
      Math.min(...entries.map((e) => Date.parse(e.created_at)));
    const batchChunks = entries.reduce((n, e) => n + e.chunk_count, 0);
    return {
      label,
      singleMs,
      chunksPerPdf,
      batchMs,
      batchChunks,
      singleRequests,
      batchRequests: fake ? fake.requestCount : null,
      batchInputs: fake ? fake.inputsPerRequest() : [],
    };
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
    const perHundred = r.batchRequests === null ? 'n/a (offline)' : `${((100 * r.batchRequests) / r.batchChunks).toFixed(2)} (inputs: ${r.batchInputs.join(' + ')})`;
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
