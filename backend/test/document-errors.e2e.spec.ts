import http from 'node:http';
import https from 'node:https';

import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';
import { IngestionStore } from '../src/ingestion/ingestion-store.service.js';
import { TEST_ENGINES } from './support/engines.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'errors-co';
const base = `/routes/knowledge/${TENANT}`;

/** Words that only an operator should read: the database layer, code, SQL, addresses and how names resolve. */
const INTERNALS = /prisma|invocation|executeRaw|transaction api|relation|no_such_table|select |insert |\bsql\b|stack|\.ts\b|\/work\/|\/srv\/|db\.internal|:5432|127\.0\.0\.1|7f00|resolves|loopback|ECONN|server_error|programmed/i;

/**
 * A document's `error` is for the person who added it: a readable reason, never the internals of
 * the failure, which go to the log with the document's id.
 */
describe.each(TEST_ENGINES)('readable document errors (%s)', (engine) => {
  let fake: FakeOpenAiServer;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAiServer().start();
    t = await startTestApp(engine, {
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      EMBEDDING_MAX_RETRIES: '0',
      INGESTION_MAX_ATTEMPTS: '2',
      INGESTION_POLL_MS: '100',
      EMBEDDING_LINGER_MS: '0',
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());
  afterEach(() => jest.restoreAllMocks());

  const create = async (body: Record<string, unknown>): Promise<EntryJson> => {
    const res = await t.get(base, jsonInit('POST', { ...META, ...body }));
    expect(res.status).toBe(202);
    return (await res.json()) as EntryJson;
  };
  const logsAbout = (documentId: string): string[] => t.logs.filter((line) => line.includes(documentId));

  it.each([
    ['6to4 of 127.0.0.1', 'http://[2002:7f00:1::1]/'],
    ['IPv4-compatible 127.0.0.1', 'http://[::127.0.0.1]/'],
    ['NAT64 of 10.0.0.1', 'http://[64:ff9b::a00:1]/'],
    ['Teredo', 'http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/'],
    ['unique local', 'http://[fd12:3456::1]/'],
    ['IPv4-mapped 169.254.169.254', 'http://[::ffff:169.254.169.254]/latest/meta-data/'],
  ])('a URL source at %s fails with "The address is not allowed", without a connection attempt', async (_label, url) => {
    const httpGet = jest.spyOn(http, 'get');
    const httpsGet = jest.spyOn(https, 'get');
    const entry = await waitForSettled(t, TENANT, (await create({ title: `address ${url}`, url })).id);
    const doc = entry.documents[0];
    expect({ status: doc?.status, error: doc?.error }).toEqual({ status: 'failed', error: 'The address is not allowed' });
    expect(httpGet).not.toHaveBeenCalled();
    expect(httpsGet).not.toHaveBeenCalled();
    // the operator learns why, with the document's id
    expect(logsAbout(doc?.id ?? '?').join('\n')).toMatch(/refused to fetch .*(loopback|private, link-local or reserved)/);
  });

  it('a host name that resolves into the private network: the error does not say so, the log does', async () => {
    const entry = await waitForSettled(t, TENANT, (await create({ title: 'internal name', url: 'http://localhost:9/admin' })).id);
    const doc = entry.documents[0];
    expect(doc?.error).toBe('The address is not allowed');
    expect(logsAbout(doc?.id ?? '?').join('\n')).toMatch(/refused to fetch localhost: it resolves to/);
  });

  it('an embedding server answering 500 with its internals: a readable error, retried then given up', async () => {
    const leak = 'upstream db.internal:5432 refused: SELECT * FROM vectors at /srv/embed/app.py line 3';
    fake.program({ kind: 'status', status: 500, message: leak }, { kind: 'status', status: 500, message: leak });
    const retrying = jest.spyOn(t.app.get(IngestionStore), 'markRetrying');
    const entry = await waitForSettled(t, TENANT, (await create({ title: 'embedding outage', text: 'Text that cannot be embedded today.' })).id);
    const doc = entry.documents[0];
    expect(doc?.status).toBe('failed');
    expect(doc?.error).toBe('The embedding service is not available at the moment; gave up after 2 attempts');
    expect(retrying.mock.calls.map((call) => call[2])).toEqual(['The embedding service is not available at the moment; retrying (attempt 1 of 2)']);
    expect(logsAbout(doc?.id ?? '?').join('\n')).toContain('db.internal:5432');
  });

  it('a real database error while storing chunks: "Temporary failure while storing the document", details in the log', async () => {
    // each batch of chunks is stored by a statement the database refuses: a real Prisma error, with its SQL and invocation
    jest.spyOn(t.app.get(EmbeddingsRepository), 'insert').mockImplementation(async (tx) => {
      await tx.$executeRawUnsafe('INSERT INTO no_such_table (id) VALUES (1)');
      return 0;
    });
    const retrying = jest.spyOn(t.app.get(IngestionStore), 'markRetrying');
    const entry = await waitForSettled(t, TENANT, (await create({ title: 'storage outage', text: 'Text whose chunks cannot be stored.' })).id);
    const doc = entry.documents[0];
    const messages = [...retrying.mock.calls.map((call) => call[2]), doc?.error];
    expect(messages).toEqual([
      'Temporary failure while storing the document; retrying (attempt 1 of 2)',
      'Temporary failure while storing the document; gave up after 2 attempts',
    ]);
    for (const message of messages) expect(message).not.toMatch(INTERNALS);
    expect(logsAbout(doc?.id ?? '?').join('\n')).toMatch(/no_such_table/);
  });

  it('the API never shows the internals of any of those failures', async () => {
    const list = (await (await t.get(`${base}/index?limit=100`)).json()) as { entries: { id: string }[] };
    for (const { id } of list.entries) {
      const entry = (await (await t.get(`${base}/${id}`)).json()) as EntryJson;
      for (const doc of entry.documents) expect({ id: doc.id, error: doc.error ?? '' }).toEqual({ id: doc.id, error: expect.not.stringMatching(INTERNALS) });
    }
  });
});
