import { generateSigningKey, sessionClaims, signToken } from './support/clerk-tokens.js';
import { TEST_ENGINES } from './support/engines.js';
import { formOf, jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { sampleMarkdown } from './support/sample-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const key = generateSigningKey();
const auth = (slug: string, orgId: string): Record<string, string> => ({
  authorization: `Bearer ${signToken(key, sessionClaims({ orgSlug: slug, orgId }))}`,
});
const A = auth('alpha', 'org_alpha');
/** Words of every sample text, so the owner's search finds its entry. */
const OWNER_WORDS = 'section invoice refund policy';
const B = auth('bravo', 'org_bravo');

describe.each(TEST_ENGINES)('knowledge endpoints across tenants (%s)', (engine) => {
  let t: TestApp;
  let entry: EntryJson;

  beforeAll(async () => {
    t = await startTestApp(engine, { CLERK_JWT_KEY: key.publicPem, INGESTION_POLL_MS: '200' });
    const res = await t.get('/routes/knowledge/alpha', jsonInit('POST', { ...META, title: 'Alpha secrets', text: sampleMarkdown(11, 1, 2) }, A));
    expect(res.status).toBe(202);
    entry = (await res.json()) as EntryJson;
    entry = await waitForSettled(t, 'alpha', entry.id, { headers: A });
  });
  afterAll(() => t?.close());

  const docId = (): string => entry.documents[0]?.id ?? '';
  const endpoints = (): [string, string, RequestInit][] => [
    ['GET', `${entry.id}`, {}],
    ['GET', `${entry.id}/chunks`, {}],
    ['GET', `${entry.id}/events`, {}],
    ['PATCH', `${entry.id}`, jsonInit('PATCH', { title: 'pwned' })],
    ['POST', `${entry.id}/documents`, jsonInit('POST', { text: 'injected text' })],
    ['POST', `${entry.id}/retry`, { method: 'POST' }],
    ['DELETE', `${entry.id}/documents/${docId()}`, { method: 'DELETE' }],
    ['DELETE', `${entry.id}`, { method: 'DELETE' }],
  ];

  it("another tenant's token on the owner's slug: 403 for every endpoint", async () => {
    for (const [method, path, init] of endpoints()) {
      const res = await t.get(`/routes/knowledge/alpha/${path}`, { ...init, method, headers: { ...(init.headers as Record<string, string>), ...B } });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 403 });
    }
    const list = await t.get('/routes/knowledge/alpha/index', { headers: B });
    expect(list.status).toBe(403);
    const create = await t.get('/routes/knowledge/alpha', { method: 'POST', body: formOf(META, [{ name: 'x.txt', bytes: 'x' }]), headers: B });
    expect(create.status).toBe(403);
    for (const route of ['search', 'context', 'answer']) {
      const body = route === 'answer' ? { question: 'secrets' } : { query: 'secrets' };
      expect((await t.get(`/routes/knowledge/alpha/${route}`, jsonInit('POST', body, B))).status).toBe(403);
      expect((await t.get(`/routes/knowledge/alpha/${route}`, jsonInit('POST', body))).status).toBe(401);
    }
    expect((await t.get('/routes/knowledge/alpha/usage', { headers: B })).status).toBe(403);
    expect((await t.get('/routes/knowledge/alpha/usage')).status).toBe(401);
  });

  it("another tenant using its own slug with the owner's ids: 404, revealing nothing", async () => {
    for (const [method, path, init] of endpoints()) {
      const res = await t.get(`/routes/knowledge/bravo/${path}`, { ...init, method, headers: { ...(init.headers as Record<string, string>), ...B } });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 404 });
    }
    const list = (await (await t.get('/routes/knowledge/bravo/index', { headers: B })).json()) as { total_count: number };
    expect(list.total_count).toBe(0);
    // searching its own slug for the owner's words, even naming the owner's entry, finds nothing
    for (const filters of [{}, { knowledge_base_ids: [entry.id] }]) {
      const found = await t.get('/routes/knowledge/bravo/search', jsonInit('POST', { query: OWNER_WORDS, mode: 'keyword', filters }, B));
      expect(found.status).toBe(200);
      expect(((await found.json()) as { results: unknown[] }).results).toEqual([]);
    }
    const context = await t.get('/routes/knowledge/bravo/context', jsonInit('POST', { query: OWNER_WORDS, mode: 'keyword', filters: { knowledge_base_ids: [entry.id] } }, B));
    expect(await context.json()).toEqual(expect.objectContaining({ context: '', sources: [], tokens: 0 }));
    const answer = await t.get('/routes/knowledge/bravo/answer', jsonInit('POST', { question: OWNER_WORDS, mode: 'keyword' }, { ...B, accept: 'application/json' }));
    expect(await answer.json()).toEqual(expect.objectContaining({ sources: [], citations: [] }));
    const owner = await t.get('/routes/knowledge/alpha/search', jsonInit('POST', { query: OWNER_WORDS, mode: 'keyword' }, A));
    expect(((await owner.json()) as { results: unknown[] }).results.length).toBeGreaterThan(0);
  });

  it("leaves the owner's entry untouched", async () => {
    const res = await t.get(`/routes/knowledge/alpha/${entry.id}`, { headers: A });
    expect(res.status).toBe(200);
    const after = (await res.json()) as EntryJson;
    expect(after.title).toBe('Alpha secrets');
    expect(after.documents.map((d) => d.id)).toEqual(entry.documents.map((d) => d.id));
    expect(after.chunk_count).toBe(entry.chunk_count);
  });

  it('requires a token on every new endpoint', async () => {
    for (const [method, path, init] of endpoints()) {
      const res = await t.get(`/routes/knowledge/alpha/${path}`, { ...init, method });
      expect({ method, path, status: res.status }).toEqual({ method, path, status: 401 });
    }
  });
});
