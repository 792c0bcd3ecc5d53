import { TenantDatabase } from '../src/database/tenant-database.js';
import { TenantsService } from '../src/tenants/tenants.service.js';
import { TEST_ENGINES } from './support/engines.js';
import { makePdf } from './support/fixtures/pdf-fixtures.js';
import { formOf, jsonInit, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { prismaOf, seedTenant } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface ResultJson {
  score: number;
  semantic_rank?: number | null;
  keyword_rank?: number | null;
  chunk_id: string;
  content: string;
  snippet: string;
  knowledge_base_id: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  document_id: string;
  filename: string | null;
  source_url: string | null;
  page_start: number | null;
  page_end: number | null;
  char_start: number;
  char_end: number;
}

interface SearchJson {
  results: ResultJson[];
  took_ms: number;
  mode: string;
  embedding_model: string;
}

const LEAVE =
  'Annual leave. Every employee receives twenty-five days of paid annual leave per calendar year, ' +
  'booked through the HR portal at least two weeks ahead. Up to five unused days carry over into the next year. ' +
  'Sick leave is separate and needs a doctor’s note after three days.';
const EXPENSES =
  'Travel expenses are reimbursed when submitted within thirty days with itemised receipts. ' +
  'Hotel costs above 180 euros per night need a director’s approval before booking; economy class is the rule for flights under six hours.';
const SECURITY =
  'Passwords must be at least fourteen characters and kept in the company password manager. ' +
  'Never paste <script>alert("x")</script> or other code from an email into the browser console; report phishing to the security desk at once.';
// pages long enough (about 600 tokens each) that every chunk lies within one page
const filler = (topic: string): string =>
  Array.from({ length: 40 }, (_, i) => `${topic} note ${i + 1} repeats the ${topic} instructions for the record.`).join(' ');
const MANUAL_PAGES = [
  `Installing the widget. Unpack the widget, mount the bracket on a flat wall and connect the power supply. ${filler('mounting')}`,
  `Calibrating the sensor. ${filler('levelling')} Start the calibration wizard from the settings menu and hold the sensor level for ten seconds until the light turns green.`,
  `Troubleshooting. Error E42 means the firmware is outdated: download the latest firmware and restart the widget. ${filler('firmware')}`,
];

describe.each(TEST_ENGINES)('search API (%s)', (engine) => {
  let t: TestApp;
  const ids: Record<string, EntryJson> = {};
  const search = async (body: unknown, tenant = 'acme'): Promise<Response> => t.get(`/routes/knowledge/${tenant}/search`, jsonInit('POST', body));
  const ok = async (body: unknown, tenant = 'acme'): Promise<SearchJson> => {
    const res = await search(body, tenant);
    expect(res.status).toBe(200);
    return (await res.json()) as SearchJson;
  };
  const add = async (tenant: string, name: string, body: Record<string, unknown>): Promise<void> => {
    const res = await t.get(`/routes/knowledge/${tenant}`, jsonInit('POST', body));
    expect(res.status).toBe(202);
    ids[name] = await waitForSettled(t, tenant, ((await res.json()) as EntryJson).id);
    expect(ids[name]?.status).toBe('ready');
  };

  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_POLL_MS: '100' });
    await add('acme', 'leave', { title: 'Leave policy', type: 'Policy', intent: 'Reference', tags: ['HR', 'people'], text: LEAVE });
    await add('acme', 'expenses', { title: 'Expense rules', type: 'Finance', intent: 'Compliance', tags: ['finance'], text: EXPENSES });
    await add('acme', 'security', { title: 'Security basics', type: 'Technical', intent: 'Onboarding', tags: ['it', 'security'], text: SECURITY });
    const form = formOf({ title: 'Widget manual', type: 'Product', intent: 'Support', tags: 'hardware' }, [
      { name: 'manual.pdf', type: 'application/pdf', bytes: await makePdf({ pages: MANUAL_PAGES }) },
    ]);
    const res = await t.get('/routes/knowledge/acme', { method: 'POST', body: form });
    expect(res.status).toBe(202);
    ids['manual'] = await waitForSettled(t, 'acme', ((await res.json()) as EntryJson).id);
    // another tenant with the same words
    await add('globex', 'globexLeave', { title: 'Globex leave', type: 'Policy', intent: 'Reference', tags: ['hr'], text: `${LEAVE} Globex staff only.` });
  });
  afterAll(() => t?.close());

  it.each(['hybrid', 'semantic', 'keyword'])('%s mode puts the passage that answers first', async (mode) => {
    const body = await ok({ query: 'how many days of annual leave do employees get', mode });
    expect(body.mode).toBe(mode);
    expect(body.embedding_model).toBe('business-brain-lexical-v1');
    expect(typeof body.took_ms).toBe('number');
    expect(body.results[0]?.knowledge_base_id).toBe(ids['leave']?.id);
    expect(body.results[0]).toEqual(
      expect.objectContaining({ title: 'Leave policy', type: 'Policy', intent: 'Reference', tags: ['hr', 'people'], filename: null, source_url: null, page_start: null }),
    );
    const scores = body.results.map((r) => r.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    if (mode === 'hybrid') {
      expect(body.results[0]?.semantic_rank).toBe(1);
      expect(body.results[0]?.keyword_rank).toBe(1);
    } else {
      expect(body.results[0]).not.toHaveProperty('semantic_rank');
    }
  });

  it('keyword mode returns only chunks holding a query term, scored by BM25', async () => {
    const body = await ok({ query: 'receipts', mode: 'keyword' });
    expect(body.results.map((r) => r.knowledge_base_id)).toEqual([ids['expenses']?.id]);
    expect(body.results[0]?.score).toBeGreaterThan(0);
    expect(body.results[0]?.snippet).toContain('<mark>receipts</mark>');
    // web-search syntax: an excluded word removes the matches holding it
    expect((await ok({ query: 'days -receipts', mode: 'keyword' })).results.map((r) => r.knowledge_base_id)).not.toContain(ids['expenses']?.id);
    expect((await ok({ query: '"paid annual leave"', mode: 'keyword' })).results.map((r) => r.knowledge_base_id)).toEqual([ids['leave']?.id]);
    expect((await ok({ query: '"annual receipts"', mode: 'keyword' })).results).toEqual([]);
  });

  it('semantic search serves cosine and L2 alike on unit vectors', async () => {
    const cosine = await ok({ query: 'hotel costs per night', mode: 'semantic', metric: 'cosine' });
    const l2 = await ok({ query: 'hotel costs per night', mode: 'semantic', metric: 'l2' });
    expect(cosine.results[0]?.knowledge_base_id).toBe(ids['expenses']?.id);
    expect(l2.results.map((r) => r.chunk_id)).toEqual(cosine.results.map((r) => r.chunk_id));
    expect(cosine.results[0]?.score).toBeLessThanOrEqual(1);
    // 1 / (1 + distance): the closer, the nearer to 1
    expect(l2.results[0]?.score).toBeGreaterThan(0);
    expect(l2.results[0]?.score).toBeLessThanOrEqual(1);
    expect(l2.results[0].score).toBeGreaterThan(l2.results.at(-1)!.score);
  });

  it('cites the page a PDF passage is on', async () => {
    const body = await ok({ query: 'calibration wizard', mode: 'keyword' });
    expect(body.results[0]).toEqual(expect.objectContaining({ filename: 'manual.pdf', page_start: 2, knowledge_base_id: ids['manual']?.id }));
    const hit = body.results[0];
    expect(hit.content).toContain('calibration wizard');
    expect(hit.content).not.toContain('Unpack the widget');
    // a chunk that runs on into page 3 says so
    expect(hit.page_end).toBe(hit.content.includes('Troubleshooting') ? 3 : 2);
    expect(hit.char_end).toBeGreaterThan(hit.char_start);
  });

  it('snippets mark the matched words and escape the rest of the text', async () => {
    const body = await ok({ query: 'script paste', mode: 'keyword' });
    const snippet = body.results[0]?.snippet ?? '';
    expect(snippet).toContain('<mark>paste</mark>');
    expect(snippet).toContain('&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/<mark>script</mark>&gt;');
    expect(snippet.replace(/<\/?mark>/g, '')).not.toMatch(/[<>]/);
    expect(body.results[0]?.content).toContain('<script>'); // the content itself is the stored text
  });

  it('filters by type, intent, tags (any or all), entry ids and creation time', async () => {
    const q = 'days leave expenses passwords widget';
    const entriesOf = async (filters: unknown): Promise<Set<string | undefined>> =>
      new Set((await ok({ query: q, top_k: 50, filters })).results.map((r) => r.knowledge_base_id));
    expect(await entriesOf({ type: ['Finance'] })).toEqual(new Set([ids['expenses']?.id]));
    expect(await entriesOf({ type: ['Finance', 'Technical'] })).toEqual(new Set([ids['expenses']?.id, ids['security']?.id]));
    expect(await entriesOf({ intent: ['Onboarding'] })).toEqual(new Set([ids['security']?.id]));
    expect(await entriesOf({ tags: ['security', 'finance'] })).toEqual(new Set([ids['expenses']?.id, ids['security']?.id]));
    expect(await entriesOf({ tags: ['IT', 'security'], tags_match: 'all' })).toEqual(new Set([ids['security']?.id]));
    expect(await entriesOf({ tags: ['security', 'finance'], tags_match: 'all' })).toEqual(new Set());
    expect(await entriesOf({ knowledge_base_ids: [ids['leave']?.id, ids['manual']?.id] })).toEqual(new Set([ids['leave']?.id, ids['manual']?.id]));
    expect(await entriesOf({ created_after: new Date(Date.now() + 86_400_000).toISOString() })).toEqual(new Set());
    expect((await entriesOf({ created_before: new Date(Date.now() + 86_400_000).toISOString() })).size).toBe(4);
    expect(await entriesOf({ created_before: '2000-01-01T00:00:00Z' })).toEqual(new Set());
  });

  it('honours top_k and min_score', async () => {
    const all = await ok({ query: 'days leave expenses passwords widget', mode: 'keyword', top_k: 100 });
    expect(all.results.length).toBeGreaterThan(2);
    expect((await ok({ query: 'days leave expenses passwords widget', mode: 'keyword', top_k: 2 })).results).toHaveLength(2);
    const threshold = all.results[1].score;
    const kept = await ok({ query: 'days leave expenses passwords widget', mode: 'keyword', top_k: 100, min_score: threshold });
    expect(kept.results.every((r) => r.score >= threshold)).toBe(true);
    expect(kept.results.length).toBeGreaterThanOrEqual(2);
    expect(kept.results.length).toBeLessThan(all.results.length);
  });

  it.each([
    [{ query: '   ' }, 'query'],
    [{}, 'query'],
    [{ query: 'x'.repeat(1001) }, 'query'],
    [{ query: 'leave', top_k: 0 }, 'top_k'],
    [{ query: 'leave', top_k: 1000 }, 'top_k'],
    [{ query: 'leave', top_k: 2.5 }, 'top_k'],
    [{ query: 'leave', mode: 'fuzzy' }, 'mode'],
    [{ query: 'leave', metric: 'dot' }, 'metric'],
    [{ query: 'leave', min_score: 'high' }, 'min_score'],
    [{ query: 'leave', filters: { colour: ['red'] } }, 'filters.colour'],
    [{ query: 'leave', filters: { type: ['Gossip'] } }, 'filters.type'],
    [{ query: 'leave', filters: { tags_match: 'some' } }, 'filters.tags_match'],
    [{ query: 'leave', filters: { created_after: 'yesterday' } }, 'filters.created_after'],
    [{ query: 'leave', filters: { created_before: '2026-13-45' } }, 'filters.created_before'],
    [{ query: 'leave', filters: { knowledge_base_ids: ['not-a-uuid'] } }, 'filters.knowledge_base_ids'],
    [{ query: 'leave', limit: 5 }, 'limit'],
  ])('answers 400 naming the field for %j', async (body, field) => {
    const res = await search(body);
    expect(res.status).toBe(400);
    const error = (await res.json()) as { message: string; details?: { field: string }[] };
    expect(error.details?.map((f) => f.field)).toContain(field);
    expect((await search({ query: 'leave' })).status).toBe(200); // and keeps serving
  });

  it('a tenant with no documents gets 200 and no results', async () => {
    for (const mode of ['hybrid', 'semantic', 'keyword']) {
      expect((await ok({ query: 'annual leave', mode }, 'empty-co')).results).toEqual([]);
    }
  });

  it("never returns another tenant's chunks, whatever the filters or ids say", async () => {
    const acme = await ok({ query: 'annual leave days', top_k: 100 });
    const globex = await ok({ query: 'annual leave days', top_k: 100 }, 'globex');
    expect(globex.results.map((r) => r.knowledge_base_id)).toEqual([ids['globexLeave']?.id]);
    expect(acme.results.map((r) => r.knowledge_base_id)).not.toContain(ids['globexLeave']?.id);
    // acme naming globex's entry finds nothing
    const stolen = await ok({ query: 'annual leave days', filters: { knowledge_base_ids: [ids['globexLeave']?.id] } });
    expect(stolen.results).toEqual([]);
    // unscoped SQL in acme's transaction: row-level security still hides globex's chunks
    const acmeId = (await t.app.get(TenantsService).provision('acme', null)).id;
    const rows = await t.app.get(TenantDatabase).run(acmeId, (tx) =>
      tx.$queryRawUnsafe<{ n: number }[]>("SELECT count(*)::int AS n FROM embeddings WHERE search_vector @@ 'globex'::tsquery"),
    );
    expect(rows[0]?.n).toBe(0);
  });

  it('keyword candidates can come from the GIN index under row-level security (ts_match_vq is LEAKPROOF)', async () => {
    const acmeId = (await t.app.get(TenantsService).provision('acme', null)).id;
    const rolledBack = new Error('rolled back');
    let plan = '';
    await expect(
      prismaOf(t.app).$transaction(async (tx) => {
        // leave the planner no other index (dropped in this transaction only), then query as the tenant
        for (const index of ['embeddings_tenant_id_knowledge_base_id_idx', 'embeddings_tenant_id_content_hash_idx', 'embeddings_tenant_id_model_idx']) {
          await tx.$executeRawUnsafe(`DROP INDEX ${index}`);
        }
        await tx.$queryRaw`SELECT set_config('app.tenant_id', ${acmeId}, true), set_config('role', 'bb_tenant', true), set_config('enable_seqscan', 'off', true)`;
        const rows = await tx.$queryRawUnsafe<{ 'QUERY PLAN': string }[]>("EXPLAIN SELECT id FROM embeddings WHERE search_vector @@ 'receipt'::tsquery");
        plan = rows.map((row) => row['QUERY PLAN']).join('\n');
        throw rolledBack;
      }),
    ).rejects.toBe(rolledBack);
    expect(plan).toMatch(/Bitmap Index Scan on embeddings_search_vector_idx/);
    expect(plan).toMatch(/tenant_id = \(NULLIF\(current_setting\('app.tenant_id'/); // the policy applied
  });

  it('searches only ready documents: one still processing, or failed, is not returned', async () => {
    const seeded = await seedTenant(t.app, 'initech', { chunks: 2 });
    const db = t.app.get(TenantDatabase);
    // the seeded chunks carry another model: semantic search would refuse, keyword search is the probe
    const keyword = async (): Promise<number> => (await ok({ query: 'initech chunk', mode: 'keyword' }, 'initech')).results.length;
    expect(await keyword()).toBe(2);
    for (const status of ['processing', 'failed', 'queued']) {
      await db.run(seeded.tenantId, (tx) => tx.document.update({ where: { id: seeded.documentId }, data: { status } }));
      expect(await keyword()).toBe(0);
    }
    await db.run(seeded.tenantId, (tx) => tx.document.update({ where: { id: seeded.documentId }, data: { status: 'ready' } }));
    expect(await keyword()).toBe(2);
  });

  it('refuses semantic and hybrid search with 409 when the stored chunks carry another embedding model', async () => {
    await seedTenant(t.app, 'oldmodel', { chunks: 2 }); // chunks embedded with "test-model"
    for (const mode of ['hybrid', 'semantic']) {
      const res = await search({ query: 'oldmodel chunk', mode }, 'oldmodel');
      expect(res.status).toBe(409);
      expect(((await res.json()) as { message: string }).message).toMatch(/test-model.*business-brain-lexical-v1.*re-embed/);
    }
    expect((await ok({ query: 'oldmodel chunk', mode: 'keyword' }, 'oldmodel')).results).toHaveLength(2);
  });
});
