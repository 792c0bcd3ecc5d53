/**
 * Business Brain against what a user would assemble instead with LangChain.js, in one run:
 *
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-compare
 *
 * Both ingest the same files (BENCH_COMPARE_FILES ten-page PDFs and as many ten-page DOCX, 8 each
 * by default, distinct content) against the same loopback OpenAI-compatible server adding 100 ms
 * to every request and the same PostgreSQL server (a scratch database each, dropped afterwards).
 *
 * - Business Brain: the real app in this process; every file uploaded through the HTTP API at
 *   once (one multipart request per file); timed from the first upload leaving the client to the
 *   last document's `processed_at` (server timestamp), polling the index every 100 ms.
 * - LangChain.js (bench/langchain/langchain-pipeline.ts): PDFLoader / DocxLoader,
 *   RecursiveCharacterTextSplitter (2000/200 characters), OpenAIEmbeddings, PGVectorStore; all
 *   files at once with Promise.all; timed from starting to load the first file to the last
 *   addDocuments resolving.
 *
 * Each side first ingests BENCH_COMPARE_WARMUP_ROUNDS (3) rounds of as many other PDFs and DOCX
 * (untimed), so module loading, parser start-up, the parsers' JIT warm-up and connection pools are
 * not counted: both are measured as long-running processes. Prints files, chunks, seconds,
 * chunks/s, embedding requests, CPU seconds and the ratios of chunks/s (ours / LangChain's).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, extname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import pg from 'pg';

import { FakeOpenAiServer } from '../backend/test/support/fake-openai-server.js';
import { makeBenchDocx } from './compare-docx.js';
import { makeBenchPdf } from './bench-pdf.js';
import { startBenchApp, type BenchApp } from './bench-app.js';
import { uploadFile, waitAllReady } from './bench-client.js';
import { describeCpu, sampleCpu } from './cpu-usage.js';

const PAGES = 10;
const PER_TYPE = Number(process.env['BENCH_COMPARE_FILES'] ?? 8);
const LATENCY_MS = 100;
const WARMUP_ROUNDS = Number(process.env['BENCH_COMPARE_WARMUP_ROUNDS'] ?? 3);
const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The shape of bench/langchain/dist/langchain-pipeline.js (compiled separately, next to its node_modules). */
interface LangChainPipeline {
  runLangChainPipeline(options: {
    files: string[];
    databaseUrl: string;
    embeddingsBaseUrl: string;
    apiKey: string;
    tableName: string;
    hnswIndex?: boolean;
  }): Promise<{
    files: number;
    loadedDocuments: number;
    chunks: number;
    chunkChars: number;
    storedRows: number;
    ms: number;
  }>;
}


interface ChunkPage {
  chunks: { content: string }[];
  total_count: number;
}

interface Side {
  label: string;
  files: number;
  chunks: number;
  chunkChars: number;
  ms: number;
  requests: number;
  /** Inputs and tokens the embedding server received. */
  embeddedInputs: number;
  embeddedTokens: number;
  notes: string[];
}

const embedded = (fake: FakeOpenAiServer): { requests: number; embeddedInputs: number; embeddedTokens: number } => ({
  requests: fake.requestCount,
  embeddedInputs: fake.requests.reduce((n, r) => n + r.inputs, 0),
  embeddedTokens: fake.requests.reduce((n, r) => n + r.tokens, 0),
});

async function upload(app: BenchApp, file: string): Promise<string> {
  return uploadFile(app, await readFile(file), basename(file), extname(file) === '.pdf' ? 'application/pdf' : DOCX_MIME);
}



async function runOurs(files: string[], warmup: string[][], fake: FakeOpenAiServer): Promise<Side> {
  const app = await startBenchApp({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url });
  try {
    for (const round of warmup) await waitAllReady(app, await Promise.all(round.map((f) => upload(app, f))));
    fake.reset();
    const cpuFrom = sampleCpu();
    const started = Date.now();
    const ids = await Promise.all(files.map((f) => upload(app, f)));
    const entries = await waitAllReady(app, ids);
    const seenAt = Date.now();
    const cpu = describeCpu(cpuFrom, sampleCpu());
    const finished = Math.max(...entries.flatMap((e) => e.documents.map((d) => Date.parse(d.processed_at ?? ''))));
    const firstCreated = Math.min(...entries.map((e) => Date.parse(e.created_at)));
    const counts = embedded(fake);
    // after the clock stopped: the stored chunks' sizes, through the chunk preview
    let chunkChars = 0;
    for (const id of ids) {
      const page = (await (await fetch(`${app.baseUrl}/routes/knowledge/bench/${id}/chunks?limit=100`)).json()) as ChunkPage;
      if (page.total_count > page.chunks.length) throw new Error(`more than 100 chunks in ${id}`);
      chunkChars += page.chunks.reduce((n, c) => n + c.content.length, 0);
    }
    return {
      label: 'Business Brain (HTTP API)',
      files: files.length,
      chunks: entries.reduce((n, e) => n + e.chunk_count, 0),
      chunkChars,
      ms: finished - started,
      ...counts,
      notes: [
        `server span (first created_at to last processed_at) ${((finished - firstCreated) / 1000).toFixed(2)} s; ` +
          `seen ready by the 100 ms poll after ${((seenAt - started) / 1000).toFixed(2)} s`,
        `${cpu} (to the poll seeing all ready; includes the loopback embedding server)`,
      ],
    };
  } finally {
    await app.close();
  }
}

async function adminQuery(admin: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function runLangChain(files: string[], warmup: string[][], fake: FakeOpenAiServer, admin: string): Promise<Side[]> {
  const modulePath = resolve('bench/langchain/dist/langchain-pipeline.js');
  let pipeline: LangChainPipeline;
  try {
    pipeline = (await import(pathToFileURL(modulePath).href)) as LangChainPipeline;
  } catch (error) {
    throw new Error(`cannot load ${modulePath} (run through \`npx nx run backend:bench-compare\`, which installs and compiles bench/langchain): ${String(error)}`);
  }
  const name = `bb_bench_langchain_${Date.now()}`;
  await adminQuery(admin, `CREATE DATABASE "${name}"`);
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const base = { databaseUrl: url.toString(), embeddingsBaseUrl: fake.url, apiKey: fake.apiKey };
    for (const [i, round] of warmup.entries()) await pipeline.runLangChainPipeline({ ...base, files: round, tableName: `warmup_documents_${i}` });
    const sides: Side[] = [];
    for (const hnswIndex of [false, true]) {
      fake.reset();
      const cpuFrom = sampleCpu();
      const r = await pipeline.runLangChainPipeline({ ...base, files, tableName: hnswIndex ? 'langchain_indexed' : 'langchain_documents', hnswIndex });
      const cpu = describeCpu(cpuFrom, sampleCpu());
      if (r.storedRows !== r.chunks) throw new Error(`LangChain stored ${r.storedRows} rows for ${r.chunks} chunks`);
      sides.push({
        label: hnswIndex ? 'LangChain.js + createHnswIndex' : 'LangChain.js (PGVectorStore)',
        files: r.files,
        chunks: r.chunks,
        chunkChars: r.chunkChars,
        ms: r.ms,
        ...embedded(fake),
        notes: [
          ...(hnswIndex ? [] : [`${r.loadedDocuments} documents from the loaders (one per PDF page, one per DOCX) split into ${r.chunks} chunks, ${r.storedRows} rows stored`]),
          `${cpu} (includes the loopback embedding server and the final row count)`,
        ],
      });
    }
    return sides;
  } finally {
    await adminQuery(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}

function report(sides: Side[]): void {
  const [ours, theirs, theirsIndexed] = sides;
  if (!ours || !theirs || !theirsIndexed) return;
  const rate = (s: Side): number => s.chunks / (s.ms / 1000);
  const row = (s: Side): string =>
    `| ${s.label} | ${s.files} | ${s.chunks} | ${Math.round(s.chunkChars / s.chunks)} | ${Math.round(s.embeddedTokens / s.embeddedInputs)} | ${(s.ms / 1000).toFixed(2)} | ${rate(s).toFixed(1)} | ${(s.files / (s.ms / 1000)).toFixed(2)} | ${s.requests} |`;
  const lines = [
    `Ingestion comparison: ${PER_TYPE} ${PAGES}-page PDFs + ${PER_TYPE} ${PAGES}-page DOCX, all at once, loopback embeddings +${LATENCY_MS} ms, PostgreSQL`,
    '',
    '| pipeline | files | chunks | chars/chunk | tokens/chunk | seconds | chunks/s | files/s | embedding requests |',
    '|---|---|---|---|---|---|---|---|---|',
    row(ours),
    row(theirs),
    row(theirsIndexed),
    '',
    `ratio (ours / LangChain.js): ${(rate(ours) / rate(theirs)).toFixed(2)}x chunks/s, ${(theirs.ms / ours.ms).toFixed(2)}x files/s (target: 2x chunks/s)`,
    `ratio (ours / LangChain.js with an HNSW index): ${(rate(ours) / rate(theirsIndexed)).toFixed(2)}x chunks/s, ${(theirsIndexed.ms / ours.ms).toFixed(2)}x files/s`,
    ...sides.flatMap((s) => s.notes.map((n) => `${s.label}: ${n}`)),
    'Business Brain: the default configuration (token chunks along the text structure, pooled embedding requests, vectors indexed on insert in two HNSW indexes, cosine and L2)',
    'LangChain.js: PDFLoader (a document per page), DocxLoader, RecursiveCharacterTextSplitter 2000/200 characters, ' +
      'OpenAIEmbeddings defaults (batchSize 512, maxConcurrency 2), PGVectorStore default table (no vector index; the last row adds ' +
      'the one HNSW index createHnswIndex makes, cosine m=16 ef_construction=64); files in parallel with Promise.all',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main(): Promise<void> {
  const admin = process.env['BENCH_POSTGRES_ADMIN_URL'];
  if (!admin) {
    throw new Error(
      'bench-compare needs PostgreSQL: set BENCH_POSTGRES_ADMIN_URL to a superuser URL of a server with pgvector, e.g. ' +
        'BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-compare',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'bb-compare-'));
  const fake = await new FakeOpenAiServer({ latencyMs: LATENCY_MS }).start();
  try {
    const write = (name: string, bytes: Buffer): string => {
      const path = join(dir, name);
      writeFileSync(path, bytes);
      return path;
    };
    const files: string[] = [];
    for (let i = 0; i < PER_TYPE; i++) files.push(write(`report-${i}.pdf`, await makeBenchPdf(PAGES, 1000 + i)));
    for (let i = 0; i < PER_TYPE; i++) files.push(write(`memo-${i}.docx`, await makeBenchDocx(PAGES, 2000 + i)));
    // Untimed rounds of other files of the same kind: the parsers' code is only fully optimised by
    // the JIT after a few dozen documents (measured here, one round of 16 files costs the parsing
    // threads 2.2 CPU-s cold, 0.9 s in the second round, 0.5 s from the fourth on), and a server's
    // threads are warm; also fills the connection pools. Both sides get the same rounds.
    const warmup: string[][] = [];
    for (let round = 0; round < WARMUP_ROUNDS; round++) {
      const files: string[] = [];
      for (let i = 0; i < PER_TYPE; i++) {
        files.push(write(`warmup-${round}-${i}.pdf`, await makeBenchPdf(PAGES, 3000 + 100 * round + i)));
        files.push(write(`warmup-${round}-${i}.docx`, await makeBenchDocx(PAGES, 4000 + 100 * round + i)));
      }
      warmup.push(files);
    }

    const ours = await runOurs(files, warmup, fake);
    const theirs = await runLangChain(files, warmup, fake, admin);
    report([ours, ...theirs]);
  } finally {
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
