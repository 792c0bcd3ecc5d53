import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';

import type { FakeOpenAiServer } from '../../backend/test/support/fake-openai-server.js';
import type { LangChainMethods, LangChainRun } from './child-methods.js';
import { RpcChild } from './child-rpc.js';
import { DatabaseCpuMeter } from './database-cpu-meter.js';
import { embeddingCounts, pagesOf, parentCpuSince, type Scenario, type SideResult } from './side-result.js';

async function adminQuery(admin: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * LangChain.js in a process of its own (bench/compare/langchain-child.ts) on a scratch database
 * of the same PostgreSQL server: the warm-up rounds (no index), then one timed run per entry of
 * `scenario.langchainIndexes`, each into a new table.
 */
export async function runLangChain(scenario: Scenario, fake: FakeOpenAiServer, admin: string, logDir: string): Promise<SideResult[]> {
  const name = `bb_bench_langchain_${Date.now()}_${process.pid}`;
  await adminQuery(admin, `CREATE DATABASE "${name}"`);
  const child = new RpcChild<LangChainMethods>(fileURLToPath(new URL('./langchain-child.js', import.meta.url)), join(logDir, `${scenario.name}-langchain.log`));
  try {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    const run = (files: string[], tableName: string, hnswIndex: boolean): LangChainRun => ({
      files,
      databaseUrl: url.toString(),
      embeddingsBaseUrl: fake.url,
      apiKey: fake.apiKey,
      tableName,
      hnswIndex,
      loading: scenario.loading,
    });
    for (const [i, round] of scenario.warmup.entries()) await child.call('run', run(round.map((f) => f.path), `warmup_documents_${i}`, false));
    const sides: SideResult[] = [];
    for (const hnswIndex of scenario.langchainIndexes) {
      fake.reset();
      const pgMeter = await DatabaseCpuMeter.start(admin, name);
      const parentFrom = process.cpuUsage();
      const r = await child.call('run', run(scenario.files.map((f) => f.path), hnswIndex ? 'langchain_indexed' : 'langchain_documents', hnswIndex));
      const pgCpu = await pgMeter.stop();
      const parentCpu = parentCpuSince(parentFrom);
      const counts = embeddingCounts(fake);
      if (r.storedRows !== r.chunks) throw new Error(`LangChain stored ${r.storedRows} rows for ${r.chunks} chunks`);
      const phases = r.phases
        ? [`load ${(r.phases.loadMs / 1000).toFixed(2)} s, split ${(r.phases.splitMs / 1000).toFixed(2)} s, embed and store ${(r.phases.embedAndStoreMs / 1000).toFixed(2)} s`]
        : [];
      sides.push({
        label: hnswIndex ? 'LangChain.js + createHnswIndex' : 'LangChain.js (PGVectorStore)',
        files: r.files,
        pages: pagesOf(scenario.files),
        chunks: r.chunks,
        chunkChars: r.chunkChars,
        ms: r.ms,
        ...counts,
        usage: r.usage,
        pgCpu,
        notes: [
          `${r.loadedDocuments} documents from the loaders (one per PDF page, one per DOCX) split into ${r.chunks} chunks, ${r.storedRows} rows stored`,
          ...phases,
          `the benchmark's process (embedding server) used ${parentCpu.toFixed(2)} CPU s meanwhile`,
        ],
      });
    }
    return sides;
  } finally {
    await child.call('stop', null).catch(() => undefined);
    child.kill();
    await child.exited;
    await adminQuery(admin, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  }
}
