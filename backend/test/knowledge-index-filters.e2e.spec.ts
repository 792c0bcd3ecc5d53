import { randomUUID } from 'node:crypto';

import { TenantDatabase } from '../src/database/tenant-database.js';
import { TenantsService } from '../src/tenants/tenants.service.js';
import { TEST_ENGINES } from './support/engines.js';
import { sha256 } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface SeedEntry {
  id: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  status: string;
  createdAt: Date;
  /** chunk_count of each of its documents */
  documents: number[];
}

interface IndexBody {
  entries: { id: string; title: string; document_count: number; chunk_count: number }[];
  total_count: number;
}

type Filters = Partial<Record<'type' | 'intent' | 'status' | 'tag' | 'q', string>>;

const TITLES = ['Quarterly REPORT', 'Résumé 50% off_sale', 'Été policy', 'travel report', 'Offsite plan', '100_percent'];
const TYPES = ['Policy', 'Process', 'Legal', 'Other'];
const INTENTS = ['Reference', 'Onboarding', 'Compliance'];
const STATUSES = ['ready', 'failed', 'processing', 'partial', 'queued'];

/** A tenant's entries: three share each creation instant (so the order falls to the id), some with documents. */
function entriesFor(count: number, prefix: string): SeedEntry[] {
  const base = Date.UTC(2026, 5, 1);
  return Array.from({ length: count }, (_, i) => ({
    id: randomUUID(),
    title: `${TITLES[i % TITLES.length]} ${prefix}${i}`,
    type: TYPES[i % TYPES.length] ?? 'Other',
    intent: INTENTS[i % INTENTS.length] ?? 'Reference',
    tags: i % 5 === 0 ? ['alpha'] : i % 2 === 1 ? ['beta', 'gamma'] : [],
    status: STATUSES[i % STATUSES.length] ?? 'ready',
    createdAt: new Date(base + Math.floor(i / 3) * 60_000),
    documents: i % 4 === 0 ? [i, 3] : i % 4 === 1 ? [0] : [],
  }));
}

async function seed(t: TestApp, slug: string, entries: SeedEntry[]): Promise<string> {
  const tenantId = (await t.app.get(TenantsService).provision(slug, null)).id;
  await t.app.get(TenantDatabase).run(tenantId, async (tx) => {
    await tx.knowledgeBase.createMany({
      data: entries.map(({ documents: _documents, ...e }) => ({ ...e, tenantId, updatedAt: e.createdAt })),
    });
    await tx.document.createMany({
      data: entries.flatMap((e) =>
        e.documents.map((chunkCount, d) => ({
          tenantId,
          knowledgeBaseId: e.id,
          sourceKind: 'text',
          contentHash: sha256(`${e.id}-${d}`),
          content: Buffer.from(`text ${d}`),
          status: 'ready',
          chunkCount,
        })),
      ),
    });
  });
  return tenantId;
}

const newestFirst = (a: SeedEntry, b: SeedEntry): number =>
  b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

describe.each(TEST_ENGINES)('GET /routes/knowledge/{tenant}/index filters and totals (%s)', (engine) => {
  let t: TestApp;
  let tenantId: string;
  let entries: SeedEntry[];

  beforeAll(async () => {
    t = await startTestApp(engine);
    entries = entriesFor(60, 'e');
    tenantId = await seed(t, 'lister', entries);
    // a neighbour with the same titles, tags and statuses, which no filter may reach
    await seed(t, 'neighbour', entriesFor(25, 'n'));
  });
  afterAll(() => t?.close());

  /** The entries ILIKE '%q%' selects on this engine: the meaning `q` has always had. */
  async function titleMatches(q: string): Promise<Set<string>> {
    const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const rows = await t.app.get(TenantDatabase).run(tenantId, (tx) =>
      tx.$queryRaw<{ id: string }[]>`SELECT id::text AS id FROM knowledge_bases WHERE tenant_id = ${tenantId}::uuid AND title ILIKE ${pattern}`,
    );
    return new Set(rows.map((r) => r.id));
  }

  async function expected(filters: Filters): Promise<SeedEntry[]> {
    const titled = filters.q === undefined ? null : await titleMatches(filters.q);
    return entries
      .filter(
        (e) =>
          (filters.type === undefined || e.type === filters.type) &&
          (filters.intent === undefined || e.intent === filters.intent) &&
          (filters.status === undefined || e.status === filters.status) &&
          (filters.tag === undefined || e.tags.includes(filters.tag)) &&
          (titled === null || titled.has(e.id)),
      )
      .sort(newestFirst);
  }

  async function list(filters: Filters, page: { limit?: number; offset?: number } = {}): Promise<IndexBody> {
    const params = new URLSearchParams({ ...filters, ...Object.fromEntries(Object.entries(page).map(([k, v]) => [k, String(v)])) });
    const res = await t.get(`/routes/knowledge/lister/index?${params.toString()}`);
    expect(res.status).toBe(200);
    return (await res.json()) as IndexBody;
  }

  const FILTERS: Filters[] = [
    {},
    { type: 'Legal' },
    { intent: 'Onboarding' },
    { status: 'failed' },
    { tag: 'alpha' },
    { tag: 'beta', type: 'Process' },
    { q: 'report' },
    { q: 'REPORT', status: 'queued' },
    { q: '50%' },
    { q: 'off_' },
    { q: '_' },
    { q: 'été' },
    { tag: 'nowhere' },
  ];

  it.each(FILTERS)('counts every match exactly and pages through them newest first: %j', async (filters) => {
    const want = await expected(filters);
    const n = want.length;
    const pages = [{}, { limit: 7, offset: 5 }, { limit: 100 }, { limit: 3, offset: Math.max(0, n - 2) }, { offset: n }, { offset: 1000 }];
    for (const page of pages) {
      const body = await list(filters, page);
      const offset = page.offset ?? 0;
      const slice = want.slice(offset, offset + (page.limit ?? 20));
      expect({ page, total: body.total_count, ids: body.entries.map((e) => e.id) }).toEqual({ page, total: n, ids: slice.map((e) => e.id) });
    }
  });

  it("gives each entry its own documents' count and chunk sum, entries without documents 0 and 0", async () => {
    const body = await list({}, { limit: 100 });
    expect(body.entries).toHaveLength(60);
    const byId = new Map(entries.map((e) => [e.id, e]));
    for (const entry of body.entries) {
      const seeded = byId.get(entry.id);
      expect({ id: entry.id, documents: entry.document_count, chunks: entry.chunk_count }).toEqual({
        id: entry.id,
        documents: seeded?.documents.length,
        chunks: seeded?.documents.reduce((a, b) => a + b, 0),
      });
    }
  });

  it("keeps the response's shape", async () => {
    const body = (await list({}, { limit: 1 })) as unknown as { entries: Record<string, unknown>[]; total_count: number };
    expect(Object.keys(body)).toEqual(['entries', 'total_count']);
    expect(Object.keys(body.entries[0] ?? {})).toEqual([
      'id', 'title', 'type', 'intent', 'tags', 'status', 'document_count', 'chunk_count', 'created_at', 'updated_at',
    ]);
    const newest = [...entries].sort(newestFirst)[0];
    expect(body.entries[0]).toEqual({
      id: newest?.id,
      title: newest?.title,
      type: newest?.type,
      intent: newest?.intent,
      tags: newest?.tags,
      status: newest?.status,
      document_count: newest?.documents.length,
      chunk_count: newest?.documents.reduce((a, b) => a + b, 0),
      created_at: newest?.createdAt.toISOString(),
      updated_at: newest?.createdAt.toISOString(),
    });
  });

  it("lists and counts only the asking tenant's entries", async () => {
    const neighbour = (await (await t.get('/routes/knowledge/neighbour/index?limit=100&tag=alpha')).json()) as IndexBody;
    expect(neighbour.total_count).toBe(5);
    expect(neighbour.entries.map((e) => e.title).filter((title) => !/ n\d+$/.test(title))).toEqual([]);
    // a title only the neighbour's entries have
    expect(await list({ q: ' n1' }, { limit: 100 })).toEqual({ entries: [], total_count: 0 });
    const all = await list({}, { limit: 100 });
    expect(all.entries.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
  });
});
