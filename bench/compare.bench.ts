/**
 * Business Brain against what a user would assemble instead with LangChain.js:
 *
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-compare
 *
 * Two scenarios, each side on the same loopback OpenAI-compatible server adding 100 ms to every
 * request and the same PostgreSQL server (a scratch database each, dropped afterwards):
 *
 * - "mixed": a generated corpus shaped like one real user's upload (bench/corpus: 79 files, 46
 *   PDFs from one-page receipts to books of 352 and 619 pages and a 387-page table report, 33 DOCX
 *   up to an 872-paragraph handbook; seeded, the same bytes every run, cached between runs). Ours:
 *   every file uploaded through the HTTP API, 8 uploads in flight. LangChain.js: the loaders one
 *   file after another, then one split and one addDocuments, into a table given createHnswIndex
 *   before inserting. Then, ours only, a 619-page book uploaded alone to the idle server: time to
 *   its first searchable chunk and to ready.
 * - "small": the original comparison, 8 ten-page PDFs and 8 ten-page DOCX, all at once on both
 *   sides (Promise.all on LangChain's), LangChain.js with and without createHnswIndex.
 *
 * Each side runs in a process of its own (bench/compare/server-child.ts, langchain-child.ts), so
 * its CPU and peak RSS are its own, and is warmed up first with untimed rounds of other files of
 * the same kinds (module loading, the parsers' JIT, connection pools are not counted: both are
 * measured as long-running processes). Ours is timed from the first upload being sent to the last
 * document's processed_at, LangChain's from starting to load the first file to the last
 * addDocuments resolving. Per side: files, pages, chunks, seconds, files/s, pages/s, chunks/s, peak
 * RSS and CPU seconds of the process (all its threads, from the kernel) and of its database's
 * PostgreSQL backends; and the ratios ours / LangChain.js.
 *
 * Knobs (defaults: the full, issue-sized run):
 *   BENCH_SCENARIOS=mixed,small   which scenarios, in this order
 *   BENCH_SCALE=1                 mixed corpus size (0.1: books of 35 and 62 pages, 8 small files...)
 *   BENCH_IN_FLIGHT=8             uploads in flight on our side (mixed)
 *   BENCH_MIXED_WARMUP_ROUNDS=2   untimed rounds of a smaller mixed corpus (BENCH_WARMUP_SCALE=0.15 of it, other content)
 *   BENCH_MIXED_LANGCHAIN_PLAIN=0 1: also LangChain.js without an index on the mixed corpus
 *   BENCH_SOLO=1                  0: skip the big book uploaded alone
 *   BENCH_COMPARE_FILES=8, BENCH_COMPARE_WARMUP_ROUNDS=3   the small scenario
 *   BENCH_CORPUS_DIR              where generated files are cached (default: <tmp>/bb-bench-corpus)
 *   BENCH_LOG_DIR                 the children's logs (default: tmp/bench-compare/<time>)
 *   EMBEDDING_*, INGESTION_*, PARSE_*, CHUNK_*   passed to our server (bench-app.ts)
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { FakeOpenAiServer } from '../backend/test/support/fake-openai-server.js';
import { describeCorpus, materialize, type CorpusFile } from './corpus/corpus-files.js';
import { mixedCorpus, sixteenFileCorpus, soloBook } from './corpus/corpus-spec.js';
import { describeGoals, describeScenario, describeSolo } from './compare/report.js';
import { runLangChain } from './compare/run-langchain.js';
import { runOurs } from './compare/run-ours.js';
import type { Scenario } from './compare/side-result.js';

const LATENCY_MS = 100;
const env = (name: string, fallback: string): string => process.env[name] ?? fallback;
const SCENARIOS = env('BENCH_SCENARIOS', 'mixed,small').split(',').map((s) => s.trim()).filter(Boolean);
const SCALE = Number(env('BENCH_SCALE', '1'));
const IN_FLIGHT = Number(env('BENCH_IN_FLIGHT', '8'));
const MIXED_WARMUP_ROUNDS = Number(env('BENCH_MIXED_WARMUP_ROUNDS', '2'));
const WARMUP_SCALE = Number(env('BENCH_WARMUP_SCALE', '0.15'));
const MIXED_LANGCHAIN_PLAIN = env('BENCH_MIXED_LANGCHAIN_PLAIN', '0') === '1';
const SOLO = env('BENCH_SOLO', '1') !== '0';
const PER_TYPE = Number(env('BENCH_COMPARE_FILES', '8'));
const SMALL_WARMUP_ROUNDS = Number(env('BENCH_COMPARE_WARMUP_ROUNDS', '3'));

const write = (text: string): void => void process.stdout.write(`${text}\n`);

async function files(label: string, specs: Parameters<typeof materialize>[0]): Promise<CorpusFile[]> {
  const made = await materialize(specs);
  if (made.generated > 0) write(`(${label}: generated ${made.generated} of ${made.files.length} files in ${(made.ms / 1000).toFixed(1)} s)`);
  return made.files;
}

async function mixedScenario(): Promise<Scenario> {
  const corpus = await files('mixed corpus', mixedCorpus(SCALE, 'mixed'));
  const warmup: CorpusFile[][] = [];
  for (let round = 0; round < MIXED_WARMUP_ROUNDS; round++) warmup.push(await files(`warm-up round ${round}`, mixedCorpus(SCALE * WARMUP_SCALE, `mixed-warmup-${round}`)));
  const solo = SOLO ? (await files('solo book', [soloBook(SCALE)]))[0] ?? null : null;
  write(describeCorpus('mixed', corpus));
  write(`warm-up: ${warmup.length} untimed round(s) of ${warmup[0]?.length ?? 0} other files of the same kinds (${warmup[0]?.reduce((n, f) => n + f.pages, 0) ?? 0} pages) per side`);
  return {
    name: 'mixed',
    description:
      `${corpus.length} files, ${corpus.reduce((n, f) => n + f.pages, 0)} pages; ours: uploaded through the HTTP API, ${IN_FLIGHT} in flight; ` +
      `LangChain.js: loaders one file after another, then split, embed and store (createHnswIndex before inserting); loopback embeddings +${LATENCY_MS} ms, PostgreSQL`,
    files: corpus,
    warmup,
    inFlight: IN_FLIGHT,
    loading: 'sequential',
    langchainIndexes: MIXED_LANGCHAIN_PLAIN ? [false, true] : [true],
    solo,
    watchFirstChunk: corpus.filter((f) => f.kind === 'book' || f.kind === 'report'),
  };
}

async function smallScenario(): Promise<Scenario> {
  const corpus = await files('16-file corpus', sixteenFileCorpus(PER_TYPE, null));
  const warmup: CorpusFile[][] = [];
  for (let round = 0; round < SMALL_WARMUP_ROUNDS; round++) warmup.push(await files(`warm-up round ${round}`, sixteenFileCorpus(PER_TYPE, round)));
  write(describeCorpus('small', corpus));
  return {
    name: 'small',
    description: `${PER_TYPE} ten-page PDFs + ${PER_TYPE} ten-page DOCX, all at once on both sides; loopback embeddings +${LATENCY_MS} ms, PostgreSQL`,
    files: corpus,
    warmup,
    inFlight: Infinity,
    loading: 'parallel',
    langchainIndexes: [false, true],
    solo: null,
    watchFirstChunk: [],
  };
}

async function main(): Promise<void> {
  const admin = process.env['BENCH_POSTGRES_ADMIN_URL'];
  if (!admin) {
    throw new Error(
      'bench-compare needs PostgreSQL: set BENCH_POSTGRES_ADMIN_URL to a superuser URL of a server with pgvector, e.g. ' +
        'BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:bench-compare',
    );
  }
  const unknown = SCENARIOS.filter((s) => s !== 'mixed' && s !== 'small');
  if (unknown.length > 0) throw new Error(`BENCH_SCENARIOS: unknown ${unknown.join(', ')} (mixed, small)`);
  const logDir = resolve(env('BENCH_LOG_DIR', join('tmp', 'bench-compare', new Date().toISOString().replace(/[:.]/g, '-'))));
  mkdirSync(logDir, { recursive: true });
  write(`bench-compare: scenarios ${SCENARIOS.join(', ')}; scale ${SCALE}; logs in ${logDir}`);

  const fake = await new FakeOpenAiServer({ latencyMs: LATENCY_MS }).start();
  try {
    for (const name of SCENARIOS) {
      const scenario = name === 'mixed' ? await mixedScenario() : await smallScenario();
      write('');
      const ours = await runOurs(scenario, fake, admin, logDir);
      const theirs = await runLangChain(scenario, fake, admin, logDir);
      write(describeScenario(scenario, [ours.side, ...theirs]));
      if (name === 'mixed') {
        write('');
        write(`Where our batch time went (server log 'document ready' lines and timestamps):\n${ours.stages}`);
        if (ours.solo) write(`\n${describeSolo(ours.solo, 'PostgreSQL')}`);
        write(`\n${describeGoals(ours, theirs.find((t) => t.label.includes('HNSW')), true)}`);
      }
      write('');
    }
    write(
      [
        'Business Brain: the default configuration (token chunks of up to 512 along the text structure, pooled embedding requests, vectors indexed on insert in two HNSW indexes, cosine and L2), in its own process',
        'LangChain.js: PDFLoader (a document per page), DocxLoader, RecursiveCharacterTextSplitter 2000/200 characters, OpenAIEmbeddings defaults ' +
          '(batchSize 512, maxConcurrency 2), PGVectorStore default table (no vector index; "+ createHnswIndex": the one HNSW index it makes, cosine ' +
          'm=16 ef_construction=64, before inserting), in its own process',
        'Peak RSS: the kernel\'s high-water mark of the side\'s process (VmHWM, reset when its timed part starts); CPU s Node: that process, all threads; ' +
          'CPU s PostgreSQL: the backends connected to its scratch database, from /proc. The embedding server and this client run in the parent process, counted on neither side.',
        "Warm-up leftovers: our embeddings table (and its two HNSW indexes) already holds the warm-up rounds' chunks when the timed batch starts; LangChain.js's timed table starts empty.",
      ].join('\n'),
    );
  } finally {
    await fake.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  },
);
