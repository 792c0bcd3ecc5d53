import { HTTP_ENGINE } from './support/engines.js';
import { seedTenant } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface IndexBody {
  entries: { id: string; title: string; document_count: number; chunk_count: number; created_at: string; tags: string[] }[];
  total_count: number;
}

describe.each([HTTP_ENGINE])('GET /routes/knowledge/{tenant}/index (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t?.close());

  it('answers exactly {"entries":[],"total_count":0} for a tenant with no knowledge', async () => {
    const res = await t.get('/routes/knowledge/acme/index');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"entries":[],"total_count":0}');
  });

  it('lists newest first with counts, paginated by limit and offset', async () => {
    const base = Date.UTC(2026, 0, 1);
    for (let i = 0; i < 5; i++) {
      await seedTenant(t.app, 'pager', { title: `entry ${i}`, chunks: i, createdAt: new Date(base + i * 60_000) });
    }
    const all = (await (await t.get('/routes/knowledge/pager/index')).json()) as IndexBody;
    expect(all.total_count).toBe(5);
    expect(all.entries.map((e) => e.title)).toEqual(['entry 4', 'entry 3', 'entry 2', 'entry 1', 'entry 0']);
    expect(all.entries[0]).toEqual(
      expect.objectContaining({ document_count: 1, chunk_count: 4, tags: ['seed'], created_at: new Date(base + 4 * 60_000).toISOString() }),
    );

    const page = (await (await t.get('/routes/knowledge/pager/index?limit=2&offset=1')).json()) as IndexBody;
    expect(page.total_count).toBe(5);
    expect(page.entries.map((e) => e.title)).toEqual(['entry 3', 'entry 2']);

    const past = (await (await t.get('/routes/knowledge/pager/index?offset=10')).json()) as IndexBody;
    expect(past).toEqual({ entries: [], total_count: 5 });
  });

  it('rejects limits out of range', async () => {
    expect((await t.get('/routes/knowledge/acme/index?limit=101')).status).toBe(400);
    expect((await t.get('/routes/knowledge/acme/index?limit=abc')).status).toBe(400);
    expect((await t.get('/routes/knowledge/acme/index?limit=100')).status).toBe(200);
  });

  it("never shows another tenant's entries", async () => {
    await seedTenant(t.app, 'other-co', { title: 'secret plan' });
    const mine = (await (await t.get('/routes/knowledge/acme/index')).json()) as IndexBody;
    expect(mine.total_count).toBe(0);
  });
});
