import type { ProcessUsage } from './process-meter.js';

/** What bench/compare/server-child.ts serves: the real app, alone in its process. */
export type ServerMethods = {
  start: { params: { env: Record<string, string> }; result: { baseUrl: string; database: string | null; engine: string } };
  /** Starts measuring this process (CPU, peak RSS). */
  mark: { params: null; result: null };
  /** Since the last mark. */
  usage: { params: null; result: ProcessUsage };
  /** Closes the app (drops its scratch database); the process then exits. */
  stop: { params: null; result: null };
};

/** Options of bench/langchain's runLangChainPipeline that cross the process boundary (no callbacks). */
export interface LangChainRun {
  files: string[];
  databaseUrl: string;
  embeddingsBaseUrl: string;
  apiKey: string;
  tableName: string;
  hnswIndex: boolean;
  loading: 'parallel' | 'sequential';
}

/** The result of bench/langchain's runLangChainPipeline, plus the process's usage over the timed part. */
export interface LangChainOutcome {
  files: number;
  loadedDocuments: number;
  chunks: number;
  chunkChars: number;
  storedRows: number;
  ms: number;
  phases: { loadMs: number; splitMs: number; embedAndStoreMs: number } | null;
  usage: ProcessUsage;
}

/** What bench/compare/langchain-child.ts serves. */
export type LangChainMethods = {
  run: { params: LangChainRun; result: LangChainOutcome };
  stop: { params: null; result: null };
};
