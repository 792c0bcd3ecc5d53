import { TEST_ENGINES } from './support/engines.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { jsonInit, META, type EntryJson } from './support/knowledge-client.js';
import { sampleMarkdown } from './support/sample-text.js';
import { createScratchDatabase } from './support/scratch-database.js';
import { listeningPort, startServerProcess, type ServerProcess } from './support/server-process.js';

interface ChunkPage {
  chunks: { position: number; document_id: string }[];
  total_count: number;
}

/** Polls the entry until `until` holds; Jest's test timeout ends a test that truly hangs. */
async function pollEntry(port: number, id: string, until: (e: EntryJson) => boolean): Promise<EntryJson> {
  for (;;) {
    const entry = (await (await fetch(`http://127.0.0.1:${port}/routes/knowledge/crash-co/${id}`)).json()) as EntryJson;
    if (until(entry)) return entry;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * kill -9 in the middle of embedding a document, start again on the same database: the job is
 * resumed once its heartbeat is stale, and the document ends ready with every chunk exactly once.
 */
describe.each(TEST_ENGINES)('crash and resume (%s)', (engine) => {
  it('resumes after kill -9 with no duplicate or partial chunks', async () => {
    const fake = await new FakeOpenAiServer().start();
    const db = await createScratchDatabase(engine);
    const env = {
      ...db.env,
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      EMBEDDING_BATCH_SIZE: '8',
      EMBEDDING_CONCURRENCY: '1',
      CHUNK_TOKENS: '48',
      CHUNK_OVERLAP_TOKENS: '4',
      INGESTION_HEARTBEAT_MS: '200',
      INGESTION_STALE_AFTER_MS: '1000',
      INGESTION_POLL_MS: '200',
    };
    let server: ServerProcess | undefined;
    try {
      // mid-way, for certain: the first group's 32 requests are answered (its chunks get stored), the next one never is
      fake.program(...Array.from({ length: 32 }, () => ({ kind: 'delay' as const, ms: 0 })), { kind: 'hold' });
      server = startServerProcess(env);
      const port = await listeningPort(server);
      // ~400 chunks: embedded in groups of 256 texts, 8 per request
      const res = await fetch(`http://127.0.0.1:${port}/routes/knowledge/crash-co`, jsonInit('POST', { ...META, text: sampleMarkdown(31, 60, 3) }));
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as EntryJson;

      // progress 95: a batch of its chunks is stored (and the next group's request waits)
      const settled = (e: EntryJson): boolean => e.documents[0]?.status === 'ready' || e.documents[0]?.status === 'failed';
      const processing = await pollEntry(port, id, (e) => (e.documents[0]?.progress === 95 && fake.requestCount >= 33) || settled(e));
      expect(processing.documents[0]?.status).toBe('processing');
      expect(processing.chunk_count).toBe(0); // nothing visible before the document is ready
      server.child.kill('SIGKILL');
      expect(await server.exited).toBeNull();
      fake.reset(); // the restarted server's requests are answered

      server = startServerProcess(env);
      const port2 = await listeningPort(server);
      const ready = await pollEntry(port2, id, (e) => e.documents[0]?.status !== 'processing' && e.documents[0]?.status !== 'queued');
      expect(ready.documents[0]?.status).toBe('ready');
      expect(fake.requestCount).toBeGreaterThan(0); // embedded again from the start

      const positions: number[] = [];
      for (let offset = 0; ; offset += 100) {
        const page = (await (await fetch(`http://127.0.0.1:${port2}/routes/knowledge/crash-co/${id}/chunks?limit=100&offset=${offset}`)).json()) as ChunkPage;
        expect(page.total_count).toBe(ready.documents[0]?.chunk_count);
        expect(page.total_count).toBe(ready.chunk_count);
        positions.push(...page.chunks.map((c) => c.position));
        if (page.chunks.length < 100) break;
      }
      // every chunk exactly once: none left over from the first attempt, none missing
      expect(positions).toEqual(Array.from({ length: ready.chunk_count }, (_, i) => i));
      expect(server.output()).toMatch(/document ready/);

      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
    } finally {
      if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
      await fake.close();
      await db.drop();
    }
  });
});
