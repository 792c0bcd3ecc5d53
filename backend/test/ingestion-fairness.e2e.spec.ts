import { TEST_ENGINES } from './support/engines.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { sampleMarkdown } from './support/sample-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface IndexJson {
  entries: { id: string; status: string }[];
}

/**
 * One tenant's backlog, stuck (its embedding requests are held), does not stall another tenant:
 * the other's upload is claimed, embedded and ready while the backlog still waits. Nothing here
 * is timed: the backlog cannot finish until the test releases it.
 */
describe.each(TEST_ENGINES)('fairness between tenants (%s)', (engine) => {
  let fake: FakeOpenAiServer;
  let t: TestApp;
  beforeAll(async () => {
    fake = await new FakeOpenAiServer().start();
    t = await startTestApp(engine, {
      OPENAI_API_KEY: fake.apiKey,
      OPENAI_BASE_URL: fake.url,
      INGESTION_CONCURRENCY: '4', // at most 2 per tenant
      INGESTION_POLL_MS: '100',
    });
  });
  afterAll(async () => {
    fake?.releaseHeld();
    await t?.close();
    await fake?.close();
  });

  const create = async (tenant: string, text: string): Promise<EntryJson> => {
    const res = await t.get(`/routes/knowledge/${tenant}`, jsonInit('POST', { ...META, text }));
    expect(res.status).toBe(202);
    return (await res.json()) as EntryJson;
  };
  const index = async (tenant: string): Promise<IndexJson['entries']> =>
    ((await (await t.get(`/routes/knowledge/${tenant}/index?limit=100`)).json()) as IndexJson).entries;

  it("serves a tenant's one upload while another tenant's backlog is stuck, and the backlog afterwards", async () => {
    fake.holdInputsMatching(/backlog/);
    for (let i = 0; i < 12; i++) await create('big-co', `backlog document ${i}. ${sampleMarkdown(100 + i, 1, 2)}`);
    // the backlog's first documents are embedding, and stuck there
    while (fake.heldCount === 0) await new Promise((r) => setTimeout(r, 20));

    const mine = await create('small-co', sampleMarkdown(7, 1, 2));
    const ready = await waitForSettled(t, 'small-co', mine.id);
    expect(ready.documents[0]?.status).toBe('ready');

    const backlog = await index('big-co');
    expect(backlog).toHaveLength(12);
    expect(backlog.filter((e) => e.status === 'ready')).toEqual([]);
    // the backlog's tenant holds at most its share of the running slots
    expect(backlog.filter((e) => e.status === 'processing').length).toBeLessThanOrEqual(2);

    fake.releaseHeld();
    for (const entry of backlog) expect((await waitForSettled(t, 'big-co', entry.id)).documents[0]?.status).toBe('ready');
  });
});
