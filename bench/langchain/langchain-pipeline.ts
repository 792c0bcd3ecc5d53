/**
 * What a user would assemble instead of Business Brain, with LangChain.js's documented defaults:
 * PDFLoader (one document per page; with pdf-parse 2 installed its default `pdfjs` option uses
 * pdf-parse 2's PDFParse, nothing to configure) and DocxLoader (mammoth) from @langchain/community,
 * RecursiveCharacterTextSplitter (2000 characters, 200 overlap: about 512/64 tokens of English),
 * OpenAIEmbeddings (text-embedding-3-small, 1536 dimensions, default batch size and concurrency)
 * and PGVectorStore (its default table: no HNSW index; optionally with the one `createHnswIndex` adds,
 * made before inserting). Files are loaded all at once or one after another (`loading`).
 *
 * Compiled by bench/langchain/tsconfig.json to bench/langchain/dist/, next to the node_modules it
 * imports from; bench/compare.bench.ts loads it at run time. Keep the result types below in step
 * with `LangChainPipeline` there.
 */
import { extname } from 'node:path';

import { DocxLoader } from '@langchain/community/document_loaders/fs/docx';
import { PDFLoader } from '@langchain/community/document_loaders/fs/pdf';
import { PGVectorStore } from '@langchain/community/vectorstores/pgvector';
import type { Document } from '@langchain/core/documents';
import { OpenAIEmbeddings } from '@langchain/openai';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';

export interface LangChainRunOptions {
  /** Paths of .pdf and .docx files. */
  files: string[];
  /** An existing (scratch) PostgreSQL database with pgvector available. */
  databaseUrl: string;
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:1234/v1. */
  embeddingsBaseUrl: string;
  apiKey: string;
  tableName: string;
  /**
   * Also give the table an HNSW index before loading, the way LangChain.js documents it
   * (`createHnswIndex`: cosine, m=16, ef_construction=64), as a user who wants fast search would.
   */
  hnswIndex?: boolean;
  /**
   * `parallel` (default): every file at once with Promise.all, each loaded, split and stored on
   * its own. `sequential`: the loaders one file after another (as DirectoryLoader does), then one
   * split of all the documents and one addDocuments (OpenAIEmbeddings batches them 512 at a time).
   */
  loading?: 'parallel' | 'sequential';
  /** Called just before the clock starts (after the store's set-up), e.g. to start measuring the process. */
  onStart?: () => void;
}

export interface LangChainRunResult {
  files: number;
  /** Documents the loaders returned (a PDF gives one per page, a DOCX one). */
  loadedDocuments: number;
  /** Documents after splitting: what was embedded and stored. */
  chunks: number;
  chunkChars: number;
  /** Rows in the table afterwards (a check that everything was stored). */
  storedRows: number;
  /** From starting to load the first file to the last addDocuments resolving. */
  ms: number;
  /** `sequential` only: the time of each step (in `parallel` they overlap). */
  phases: { loadMs: number; splitMs: number; embedAndStoreMs: number } | null;
}

export async function runLangChainPipeline(options: LangChainRunOptions): Promise<LangChainRunResult> {
  const embeddings = new OpenAIEmbeddings({
    model: 'text-embedding-3-small',
    dimensions: 1536,
    apiKey: options.apiKey,
    configuration: { baseURL: options.embeddingsBaseUrl },
  });
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 2000, chunkOverlap: 200 });
  // Set-up, not timed (as the API's start-up and migrations are not): creates the table.
  const store = await PGVectorStore.initialize(embeddings, {
    postgresConnectionOptions: { connectionString: options.databaseUrl },
    tableName: options.tableName,
    dimensions: 1536,
  });
  if (options.hnswIndex) await store.createHnswIndex({ dimensions: 1536 });
  try {
    let loadedDocuments = 0;
    let chunks = 0;
    let chunkChars = 0;
    let phases: LangChainRunResult['phases'] = null;
    const loaderFor = (file: string): PDFLoader | DocxLoader => (extname(file).toLowerCase() === '.pdf' ? new PDFLoader(file) : new DocxLoader(file));
    options.onStart?.();
    const started = performance.now();
    if (options.loading === 'sequential') {
      const docs: Document[] = [];
      for (const file of options.files) docs.push(...(await loaderFor(file).load()));
      const loaded = performance.now();
      const splits = await splitter.splitDocuments(docs);
      const split = performance.now();
      await store.addDocuments(splits);
      phases = { loadMs: loaded - started, splitMs: split - loaded, embedAndStoreMs: performance.now() - split };
      loadedDocuments = docs.length;
      chunks = splits.length;
      chunkChars = splits.reduce((n, d) => n + d.pageContent.length, 0);
    } else {
      // Every file at once: the favourable choice for LangChain on a few files (a plain for-loop would be slower).
      await Promise.all(
        options.files.map(async (file) => {
          const docs = await loaderFor(file).load();
          const splits = await splitter.splitDocuments(docs);
          await store.addDocuments(splits);
          loadedDocuments += docs.length;
          chunks += splits.length;
          chunkChars += splits.reduce((n, d) => n + d.pageContent.length, 0);
        }),
      );
    }
    const ms = performance.now() - started;
    const counted = await store.pool.query<{ n: string }>(`SELECT count(*) AS n FROM ${options.tableName}`);
    return { files: options.files.length, loadedDocuments, chunks, chunkChars, storedRows: Number(counted.rows[0]?.n ?? 0), ms, phases };
  } finally {
    await store.end();
  }
}
