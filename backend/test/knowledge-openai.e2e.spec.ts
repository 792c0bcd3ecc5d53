import { TEST_ENGINES } from './support/engines.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { formOf, jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { sampleMarkdown } from './support/sample-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const base = '/routes/knowledge/openai-co';

/** Ingestion through the real `openai` SDK against an OpenAI-compatible server on loopback. */
describe.each(TEST_ENGINES)('ingestion with an OpenAI-compatible embedding server (%s)', (engine) => {
  let fake: FakeOpenAiServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAiServer().start();
    t = await startTestApp(engine, {
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      EMBEDDING_MAX_RETRIES: '2',
      INGESTION_MAX_ATTEMPTS: '2',
      INGESTION_POLL_MS: '100',
      // a batch waits for every document claimed with it, however long their extraction takes here
      EMBEDDING_MAX_WAIT_MS: '60000',
      CHUNK_TOKENS: '64',
      CHUNK_OVERLAP_TOKENS: '8',
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  const create = async (body: unknown): Promise<EntryJson> => {
    const res = await t.get(base, jsonInit('POST', body));
    expect(res.status).toBe(202);
    return (await res.json()) as EntryJson;
  };

  it('embeds every chunk with text-embedding-3-small, batching many chunks per request', async () => {
    const entry = await waitForSettled(t, 'openai-co', (await create({ ...META, text: sampleMarkdown(21, 8, 6) })).id);
    expect(entry.documents[0]?.status).toBe('ready');
    expect(entry.documents[0]?.embedding_model).toBe('text-embedding-3-small');
    expect(entry.chunk_count).toBeGreaterThan(20);
    expect(fake.requestCount).toBe(1); // all chunks in one request (batches hold up to 256)
    expect(fake.inputsPerRequest()[0]).toBe(entry.chunk_count);
    expect(fake.requests[0]).toEqual(expect.objectContaining({ model: 'text-embedding-3-small', dimensions: 1536, encodingFormat: 'base64' }));
    const chunks = (await (await t.get(`${base}/${entry.id}/chunks?limit=1`)).json()) as { chunks: { model: string }[] };
    expect(chunks.chunks[0]?.model).toBe('text-embedding-3-small');
  });

  it('lets documents processed together share one embedding request', async () => {
    // one upload of four files: their documents are queued in one transaction and claimed together
    const files = [31, 32, 33, 34].map((seed) => ({ name: `memo-${seed}.md`, bytes: Buffer.from(sampleMarkdown(seed, 2, 3)) }));
    const res = await t.get(base, { method: 'POST', body: formOf({ ...META, title: 'four memos' }, files) });
    expect(res.status).toBe(202);
    const entry = await waitForSettled(t, 'openai-co', ((await res.json()) as EntryJson).id);
    expect(entry.documents.map((d) => d.status)).toEqual(['ready', 'ready', 'ready', 'ready']);
    expect(fake.requestCount).toBe(1);
    expect(fake.inputsPerRequest()[0]).toBe(entry.chunk_count);
  });

  it('reuses stored embeddings for identical chunk text instead of paying again', async () => {
    const text = sampleMarkdown(22, 2, 3);
    await waitForSettled(t, 'openai-co', (await create({ ...META, title: 'first copy', text })).id);
    const paid = fake.requests.reduce((n, r) => n + r.inputs, 0);
    expect(paid).toBeGreaterThan(0);
    // the same words as a file with a byte-order mark: a different source, identical chunks
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    const res = await t.get(base, { method: 'POST', body: formOf({ ...META, title: 'second copy' }, [{ name: 'copy.md', bytes: bom }]) });
    expect(res.status).toBe(202);
    const second = await waitForSettled(t, 'openai-co', ((await res.json()) as EntryJson).id);
    expect(second.documents[0]?.status).toBe('ready');
    expect(fake.requests.reduce((n, r) => n + r.inputs, 0)).toBe(paid);
  });

  it('rides out a 429 with Retry-After and a 500, honouring the wait', async () => {
    fake.program({ kind: 'rate-limit', retryAfter: '1' }, { kind: 'status', status: 500 });
    const started = Date.now();
    const entry = await waitForSettled(t, 'openai-co', (await create({ ...META, text: sampleMarkdown(23, 1, 2) })).id);
    expect(entry.documents[0]?.status).toBe('ready');
    expect(fake.requestCount).toBe(3);
    const [first, second] = fake.timestamps();
    expect((second ?? 0) - (first ?? 0)).toBeGreaterThanOrEqual(950);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('fails at once, with a readable reason, when the API refuses the key', async () => {
    fake.program({ kind: 'status', status: 401, message: 'Incorrect API key provided' });
    const entry = await waitForSettled(t, 'openai-co', (await create({ ...META, text: sampleMarkdown(24, 1, 2) })).id);
    expect(entry.documents[0]?.status).toBe('failed');
    expect(entry.documents[0]?.error).toMatch(/embedding service/);
    expect(entry.documents[0]?.error).not.toContain(fake.apiKey);
    expect(fake.requestCount).toBe(1);
  });

  it('retries a document after transient failures, then fails it after the last attempt', async () => {
    // 2 attempts x (1 + 2 SDK retries) = 6 failing requests
    fake.program(...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 503 })));
    const created = await create({ ...META, text: sampleMarkdown(25, 1, 2) });
    const entry = await waitForSettled(t, 'openai-co', created.id);
    // between the attempts it was shown as queued for a retry, with the reason
    expect(t.logs.some((line) => line.includes(created.documents[0]?.id ?? '?') && line.includes('attempt 1 failed'))).toBe(true);
    expect(entry?.documents[0]?.status).toBe('failed');
    expect(entry?.documents[0]?.error).toMatch(/gave up after 2 attempts/);
    expect(fake.requestCount).toBe(6);

    // the retry endpoint brings it back once the service recovers
    expect((await t.get(`${base}/${created.id}/retry`, { method: 'POST' })).status).toBe(202);
    const recovered = await waitForSettled(t, 'openai-co', created.id);
    expect(recovered.documents[0]?.status).toBe('ready');
  });

  it('searches semantically with the model, embedding a repeated query only once', async () => {
    await waitForSettled(t, 'openai-co', (await create({ ...META, title: 'search me', text: sampleMarkdown(41, 2, 3) })).id);
    fake.reset();
    const search = async (query: string): Promise<{ results: unknown[]; embedding_model: string }> => {
      const res = await t.get(`${base}/search`, jsonInit('POST', { query, mode: 'semantic' }));
      expect(res.status).toBe(200);
      return (await res.json()) as { results: unknown[]; embedding_model: string };
    };
    const first = await search('refund policy for returned parcels');
    expect(first.embedding_model).toBe('text-embedding-3-small');
    expect(first.results.length).toBeGreaterThan(0);
    expect(fake.requestCount).toBe(1);
    expect(fake.requests[0]).toEqual(expect.objectContaining({ model: 'text-embedding-3-small', inputs: 1 }));
    await search('refund policy for returned parcels');
    expect(fake.requestCount).toBe(1); // the cached vector
    await search('a different question');
    expect(fake.requestCount).toBe(2);
  });

  it('answers 503 when the embedding service fails the query, while keyword search still works', async () => {
    fake.program({ kind: 'status', status: 401, message: 'Incorrect API key provided' });
    const res = await t.get(`${base}/search`, jsonInit('POST', { query: 'an uncached question', mode: 'hybrid' }));
    expect(res.status).toBe(503);
    const body = (await res.json()) as { message: string };
    expect(body.message).toMatch(/embedding service.*keyword search works/);
    expect(body.message).not.toContain(fake.apiKey);
    const keyword = await t.get(`${base}/search`, jsonInit('POST', { query: 'an uncached question', mode: 'keyword' }));
    expect(keyword.status).toBe(200);
  });
});
