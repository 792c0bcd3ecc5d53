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
      // mid-embedding, for certain: the first request is answered, the second is never answered
      fake.program({ kind: 'delay', ms: 0 }, { kind: 'hold' });
      server = startServerProcess(env);
      const port = await listeningPort(server);
      const res = await fetch(`http://127.0.0.1:${port}/routes/knowledge/crash-co`, jsonInit('POST', { ...META, text: sampleMarkdown(31, 3, 3) }));
      expect(res.status).toBe(202);
      const { id } = (await res.json()) as EntryJson;

      const processing = await pollEntry(port, id, (e) => e.documents[0]?.stage === 'embedding' && fake.requestCount >= 2);
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

      const page = (await (await fetch(`http://127.0.0.1:${port2}/routes/knowledge/crash-co/${id}/chunks?limit=100`)).json()) as ChunkPage;
      expect(page.total_count).toBe(ready.documents[0]?.chunk_count);
      expect(page.total_count).toBe(ready.chunk_count);
      expect(page.chunks.map((c) => c.position)).toEqual(Array.from({ length: page.total_count }, (_, i) => i));
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
