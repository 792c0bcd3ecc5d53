/**
 * Chunking throughput by script, in-process (no server, no database):
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/bench/chunking.bench.js
 *
 * Chunks seeded texts with the default options (512-token chunks, 64-token overlap) and prints,
 * for each: its size, the chunks made, the wall-clock and CPU time (medians of CHUNKING_BENCH_RUNS
 * runs, 3 by default, after one untimed warm-up run on a tenth of the text; CPU time is steadier
 * on a busy machine), characters per second (wall clock), and the characters handed to the
 * tokenizer and to Intl.Segmenter per character of text (from the work meter the tests assert
 * on). CHUNKING_BENCH_SCALE (1 by default) scales every text, e.g. 0.01 to compare with a build
 * that is not linear.
 */
import { chunkText, DEFAULT_CHUNKING, type Chunk } from '../backend/src/chunking/chunker.js';
import { warmUpTokenizer } from '../backend/src/chunking/tokenizer.js';
import { chunkingWork, resetChunkingWork } from '../backend/src/chunking/work-meter.js';
import {
  base64Blob,
  chineseProse,
  englishProse,
  letterRun,
  randomCjk,
  seededRandom,
  thaiText,
} from '../backend/test/chunking/random-text.js';
import { chunkingTable, type ChunkingRow } from './chunking-table.js';

const SCALE = Number(process.env['CHUNKING_BENCH_SCALE'] ?? 1);
const RUNS = Math.max(1, Number(process.env['CHUNKING_BENCH_RUNS'] ?? 3));

interface Case {
  label: string;
  length: number;
  generate: (random: () => number, length: number) => string;
}

const CASES: Case[] = [
  { label: 'English prose', length: 100_000, generate: englishProse },
  { label: 'random CJK, no punctuation', length: 1_000_000, generate: randomCjk },
  { label: 'Chinese prose, punctuated', length: 1_000_000, generate: chineseProse },
  { label: 'base64, no spaces', length: 5_000_000, generate: base64Blob },
  { label: 'one huge word (letters)', length: 5_000_000, generate: letterRun },
  { label: 'Thai, no spaces', length: 200_000, generate: thaiText },
];

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function run(text: string): { chunks: Chunk[]; ms: number; cpuMs: number } {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const chunks = chunkText({ text }, DEFAULT_CHUNKING);
  const used = process.cpuUsage(cpu);
  return { chunks, ms: performance.now() - started, cpuMs: (used.user + used.system) / 1000 };
}

function measure({ label, length, generate }: Case): ChunkingRow {
  const text = generate(seededRandom(length), Math.max(1, Math.round(length * SCALE)));
  run(text.slice(0, Math.ceil(text.length / 10)));
  const timings: number[] = [];
  const cpuTimings: number[] = [];
  let chunks: Chunk[] = [];
  for (let i = 0; i < RUNS; i++) {
    resetChunkingWork();
    const result = run(text);
    timings.push(result.ms);
    cpuTimings.push(result.cpuMs);
    chunks = result.chunks;
  }
  const ms = median(timings);
  return {
    label,
    chars: text.length,
    utf8Bytes: Buffer.byteLength(text, 'utf8'),
    chunks: chunks.length,
    maxTokens: Math.max(0, ...chunks.map((chunk) => chunk.tokenCount)),
    ms,
    cpuMs: median(cpuTimings),
    charsPerSecond: text.length / (ms / 1000),
    tokenizedPerChar: chunkingWork.tokenizedChars / text.length,
    segmentedPerChar: chunkingWork.segmentedChars / text.length,
  };
}

warmUpTokenizer();
console.log(`chunkText, ${DEFAULT_CHUNKING.chunkTokens}-token chunks, ${DEFAULT_CHUNKING.overlapTokens}-token overlap; median of ${RUNS} run(s); scale ${SCALE}; node ${process.version}`);
const rows: ChunkingRow[] = [];
for (const benchCase of CASES) {
  const row = measure(benchCase);
  rows.push(row);
  console.log(`  ${row.label}: ${(row.ms / 1000).toFixed(2)} s`);
}
console.log(chunkingTable(rows));
