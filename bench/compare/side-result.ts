import type { FakeOpenAiServer } from '../../backend/test/support/fake-openai-server.js';
import type { CorpusFile } from '../corpus/corpus-files.js';
import type { DatabaseCpu } from './database-cpu-meter.js';
import type { ProcessUsage } from './process-meter.js';

/** One scenario: a corpus, how it is sent, and what LangChain.js runs against it. */
export interface Scenario {
  name: string;
  /** What the table's heading says about the run. */
  description: string;
  files: CorpusFile[];
  /** Untimed rounds before the timed one, on each side. */
  warmup: CorpusFile[][];
  /** Uploads in flight on our side (Infinity: all at once). */
  inFlight: number;
  loading: 'parallel' | 'sequential';
  /** LangChain.js runs: without (false) and with (true) createHnswIndex. */
  langchainIndexes: boolean[];
  /** Uploaded alone after the batch (ours only). */
  solo: CorpusFile | null;
  /** Batch documents whose first searchable chunk is watched. */
  watchFirstChunk: CorpusFile[];
}

/** One side's timed run of a scenario. */
export interface SideResult {
  label: string;
  files: number;
  pages: number;
  chunks: number;
  chunkChars: number;
  ms: number;
  embeddingRequests: number;
  embeddedInputs: number;
  embeddedTokens: number;
  /** The side's own process (CPU of all its threads, peak RSS). */
  usage: ProcessUsage;
  /** Its scratch database's PostgreSQL backends (null on PGlite). */
  pgCpu: DatabaseCpu | null;
  notes: string[];
}

export function embeddingCounts(fake: FakeOpenAiServer): Pick<SideResult, 'embeddingRequests' | 'embeddedInputs' | 'embeddedTokens'> {
  return {
    embeddingRequests: fake.requestCount,
    embeddedInputs: fake.requests.reduce((n, r) => n + r.inputs, 0),
    embeddedTokens: fake.requests.reduce((n, r) => n + r.tokens, 0),
  };
}

/** CPU seconds of this (the parent) process since `from` (a process.cpuUsage()): the HTTP client and the embedding server. */
export function parentCpuSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
}

export const pagesOf = (files: CorpusFile[]): number => files.reduce((n, f) => n + f.pages, 0);
