import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import type { FakeOpenAiServer } from '../../backend/test/support/fake-openai-server.js';
import { chunkCount, getEntry, getJson, takeFailedReads, uploadFile, waitAllReady, type Entry } from '../bench-client.js';
import type { CorpusFile } from '../corpus/corpus-files.js';
import { firstChunkSeen, uploadAll } from './batch-upload.js';
import type { ServerMethods } from './child-methods.js';
import { RpcChild } from './child-rpc.js';
import { DatabaseCpuMeter, type DatabaseCpu } from './database-cpu-meter.js';
import type { ProcessUsage } from './process-meter.js';
import { embeddingCounts, pagesOf, parentCpuSince, type Scenario, type SideResult } from './side-result.js';
import { describeStages, ServerLog } from './stage-timings.js';

type Api = { baseUrl: string };

export interface FirstChunk {
  name: string;
  pages: number;
  /** From its upload being sent: first chunk seen by the poll, and ready (server's processed_at). */
  firstChunkMs: number | null;
  readyMs: number;
}

export interface SoloResult {
  name: string;
  pages: number;
  chunks: number;
  uploadMs: number;
  /** From the upload being sent, seen by a 100 ms poll. */
  firstChunkMs: number;
  readySeenMs: number;
  /** From the upload being sent to processed_at (server clock, same machine). */
  readyMs: number;
  /** The server's own span: the document's created_at to processed_at. */
  serverMs: number;
  stages: Record<string, number> | undefined;
  warnings: string[];
  usage: ProcessUsage;
  pgCpu: DatabaseCpu | null;
}

export interface OursResult {
  side: SideResult;
  firstChunks: FirstChunk[];
  stages: string;
  hnswIndexes: string[];
  solo: SoloResult | null;
}

const POLL_MS = 100;
/** The batch's big documents are probed less often than the index is polled: each probe is a request the measured server answers. */
const PROBE_MS = 250;

/**
 * Business Brain, in a process of its own (bench/compare/server-child.ts): the warm-up rounds,
 * then the timed batch uploaded through the HTTP API (`inFlight` at a time), timed from the first
 * upload being sent to the last document's processed_at; then, on the now idle server, the solo
 * file alone.
 */
export async function runOurs(scenario: Scenario, fake: FakeOpenAiServer, admin: string | undefined, logDir: string): Promise<OursResult> {
  const log = new ServerLog();
  const logFile = join(logDir, `${scenario.name}-business-brain.log`);
  const stopProbes = { stopped: false };
  const child = new RpcChild<ServerMethods>(fileURLToPath(new URL('./server-child.js', import.meta.url)), logFile, { onLine: (line) => log.take(line) });
  try {
    const { baseUrl, database } = await child.call('start', {
      env: { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'info' },
    });
    const api = { baseUrl };
    for (const round of scenario.warmup) await waitAllReady(api, (await uploadAll(api, round, scenario.inFlight)).map((u) => u.id));

    fake.reset();
    log.takeWarnings();
    takeFailedReads();
    await child.call('mark', null);
    const pgMeter = admin && database ? await DatabaseCpuMeter.start(admin, database) : null;
    const parentFrom = process.cpuUsage();
    const started = Date.now();
    const watched = new Set(scenario.watchFirstChunk.map((f) => f.name));
    const probes: Promise<[string, number, number | null]>[] = [];
    const uploads = await uploadAll(api, scenario.files, scenario.inFlight, (u) => {
      if (watched.has(u.file.name)) probes.push(firstChunkSeen(api, u.id, PROBE_MS, stopProbes).then((at) => [u.file.name, u.sentAt, at]));
    });
    const entries = await waitAllReady(api, uploads.map((u) => u.id));
    const seenAt = Date.now();
    const usage = await child.call('usage', null);
    const pgCpu = pgMeter ? await pgMeter.stop() : null;
    const parentCpu = parentCpuSince(parentFrom);
    const counts = embeddingCounts(fake);
    const warnings = log.takeWarnings();
    const failedReads = takeFailedReads();
    // a probe sees its document's chunks within one more probe of the document being ready
    await Promise.race([Promise.all(probes), new Promise((r) => setTimeout(r, 4 * PROBE_MS))]);
    stopProbes.stopped = true;
    const seen = new Map((await Promise.all(probes)).map(([name, sentAt, at]) => [name, at === null ? null : at - sentAt]));

    const processedAt = (e: Entry): number => Math.max(...e.documents.map((d) => Date.parse(d.processed_at ?? '')));
    const finished = Math.max(...entries.map(processedAt));
    const firstChunks = uploads
      .map((u, i) => ({ u, entry: entries[i] }))
      .filter(({ u }) => watched.has(u.file.name))
      .map(({ u, entry }) => ({ name: u.file.name, pages: u.file.pages, firstChunkMs: seen.get(u.file.name) ?? null, readyMs: processedAt(entry) - u.sentAt }));
    const pdfPages = entries.reduce((n, e) => n + e.documents.reduce((m, d) => m + (d.page_count ?? 0), 0), 0);
    const expectedPdfPages = pagesOf(scenario.files.filter((f) => f.mimeType === 'application/pdf'));

    // after the clock stopped
    const chunkChars = await storedChunkChars(api, entries);
    const hnswIndexes = admin && database ? await hnswIndexesOf(admin, database) : [];
    const solo = scenario.solo ? await runSolo(api, child, scenario.solo, admin, database, log) : null;

    const side: SideResult = {
      label: 'Business Brain (HTTP API)',
      files: uploads.length,
      pages: pagesOf(scenario.files),
      chunks: entries.reduce((n, e) => n + e.chunk_count, 0),
      chunkChars,
      ms: finished - started,
      ...counts,
      usage,
      pgCpu,
      notes: [
        `seen ready by the ${POLL_MS} ms poll after ${((seenAt - started) / 1000).toFixed(2)} s; CPU and peak RSS to then`,
        `page_count of the PDF documents: ${pdfPages} (the corpus has ${expectedPdfPages} PDF pages)`,
        `the benchmark's process (HTTP client, embedding server) used ${parentCpu.toFixed(2)} CPU s meanwhile`,
        `reads of the API that failed and were repeated during the batch: ${failedReads.length === 0 ? 'none' : failedReads.join('; ')}`,
      ],
    };
    return { side, firstChunks, stages: describeStages(uploads, entries, log, warnings, started, scenario.inFlight), hnswIndexes, solo };
  } finally {
    stopProbes.stopped = true;
    await child.call('stop', null).catch(() => undefined);
    child.kill();
    await child.exited;
  }
}

/** Characters of every stored chunk, read through the chunk preview (100 a page). */
async function storedChunkChars(api: Api, entries: Entry[]): Promise<number> {
  let chars = 0;
  for (const entry of entries) {
    for (let offset = 0; offset < entry.chunk_count; offset += 100) {
      const page = await getJson<{ chunks: { content: string }[] }>(api, `/routes/knowledge/bench/${entry.id}/chunks?limit=100&offset=${offset}`);
      chars += page.chunks.reduce((n, c) => n + c.content.length, 0);
    }
  }
  return chars;
}

async function hnswIndexesOf(admin: string, database: string): Promise<string[]> {
  const url = new URL(admin);
  url.pathname = `/${database}`;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    const { rows } = await client.query<{ indexname: string; tablename: string; def: string }>(
      "SELECT indexname, tablename, substring(indexdef FROM 'USING hnsw \\((.*)\\)') AS def FROM pg_indexes WHERE indexdef ILIKE '%USING hnsw%' ORDER BY indexname",
    );
    return rows.map((r) => `${r.indexname} on ${r.tablename} (${r.def})`);
  } finally {
    await client.end();
  }
}

/** One file uploaded alone to the idle server: the time to its first searchable chunk and to ready. */
async function runSolo(api: Api, child: RpcChild<ServerMethods>, file: CorpusFile, admin: string | undefined, database: string | null, log: ServerLog): Promise<SoloResult> {
  const bytes = await readFile(file.path);
  await child.call('mark', null);
  log.takeWarnings();
  takeFailedReads();
  const pgMeter = admin && database ? await DatabaseCpuMeter.start(admin, database) : null;
  const sentAt = Date.now();
  const id = await uploadFile(api, bytes, file.name, file.mimeType);
  const acceptedAt = Date.now();
  let firstChunkAt: number | null = null;
  let entry: Entry;
  for (;;) {
    if (firstChunkAt === null && (await chunkCount(api, id)) > 0) firstChunkAt = Date.now();
    entry = await getEntry(api, id);
    if (entry.status === 'ready') break;
    if (entry.status === 'failed') throw new Error(`${file.name} failed: ${entry.documents[0]?.error}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
  const readySeenAt = Date.now();
  firstChunkAt ??= readySeenAt;
  const usage = await child.call('usage', null);
  const pgCpu = pgMeter ? await pgMeter.stop() : null;
  const doc = entry.documents[0];
  const processed = Date.parse(doc?.processed_at ?? '');
  // the server logs 'document ready' just after the commit the poll saw
  for (let i = 0; i < 20 && doc && !log.byDocument.has(doc.id); i++) await new Promise((r) => setTimeout(r, 50));
  return {
    name: file.name,
    pages: file.pages,
    chunks: entry.chunk_count,
    uploadMs: acceptedAt - sentAt,
    firstChunkMs: firstChunkAt - sentAt,
    readySeenMs: readySeenAt - sentAt,
    readyMs: processed - sentAt,
    serverMs: processed - Date.parse(doc?.created_at ?? ''),
    stages: doc ? log.byDocument.get(doc.id) : undefined,
    warnings: [...log.takeWarnings(), ...takeFailedReads().map((r) => `client read failed: ${r}`)],
    usage,
    pgCpu,
  };
}
