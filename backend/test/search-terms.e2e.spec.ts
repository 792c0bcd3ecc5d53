import { TenantDatabase } from '../src/database/tenant-database.js';
import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';
import { planBm25 } from '../src/search/bm25-plan.js';
import { TEST_ENGINES } from './support/engines.js';
import { jsonInit, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { prismaOf, seedTenant, sha256, unitVector } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface Counts {
  corpus: { tenant_id: string; chunks: number; tokens: number }[];
  terms: { tenant_id: string; lexeme: string; chunks: number }[];
}

/** Every chunk mentions the widget; a few mention calibration: one common term, one rare. */
const WIDGET_TEXTS = Array.from({ length: 30 }, (_, i) =>
  i % 10 === 3 ? `widget calibration step ${i}: hold the widget level during calibration` : `widget note ${i} about mounting and power`,
);

/** BM25's term statistics, kept per tenant by triggers on the chunks, and the keyword search that relies on them. */
describe.each(TEST_ENGINES)('search term statistics (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_POLL_MS: '100' });
  });
  afterAll(() => t?.close());

  /** What the tables hold, and what a recount of the chunks says they should hold (superuser: every tenant). */
  const countsNowAndRecounted = async (): Promise<{ kept: Counts; recounted: Counts }> => {
    const prisma = prismaOf(t.app);
    const keptCorpus = await prisma.$queryRaw<Counts['corpus']>`SELECT tenant_id::text, chunks::int, tokens::int FROM search_corpus ORDER BY 1`;
    const keptTerms = await prisma.$queryRaw<Counts['terms']>`SELECT tenant_id::text, lexeme, chunks FROM search_terms ORDER BY 1, 2`;
    const corpus = await prisma.$queryRaw<Counts['corpus']>`
      SELECT tenant_id::text, count(*)::int AS chunks, sum(token_count)::int AS tokens FROM embeddings GROUP BY 1 ORDER BY 1`;
    const terms = await prisma.$queryRaw<Counts['terms']>`
      SELECT e.tenant_id::text, u.lexeme, count(*)::int AS chunks FROM embeddings e CROSS JOIN LATERAL unnest(e.search_vector) AS u GROUP BY 1, 2 ORDER BY 1, 2`;
    return { kept: { corpus: keptCorpus, terms: keptTerms }, recounted: { corpus, terms } };
  };

  it('keeps every tenant’s chunk and term counts equal to a recount as documents are added, re-processed and removed', async () => {
    const add = async (tenant: string, text: string): Promise<EntryJson> => {
      const res = await t.get(`/routes/knowledge/${tenant}`, jsonInit('POST', { title: text.slice(0, 20), type: 'Finance', intent: 'Reference', text }));
      expect(res.status).toBe(202);
      const entry = await waitForSettled(t, tenant, ((await res.json()) as EntryJson).id);
      expect(entry.status).toBe('ready');
      return entry;
    };
    const first = await add('stats-a', 'Invoices are paid within thirty days. Late invoices accrue interest.');
    await add('stats-a', 'Interest on late payments follows the statutory rate.');
    await add('stats-b', 'Invoices from suppliers go to the finance inbox.');
    let { kept, recounted } = await countsNowAndRecounted();
    expect(kept).toEqual(recounted);
    expect(kept.terms.some((r) => r.lexeme === 'invoic' && r.chunks === 1)).toBe(true);

    // re-processing deletes a document's chunks and stores a new set, in one transaction
    const seeded = await seedTenant(t.app, 'stats-a', { texts: ['Quarterly invoices', 'Quarterly reports and invoices'] });
    const repository = t.app.get(EmbeddingsRepository);
    await t.app.get(TenantDatabase).run(seeded.tenantId, async (tx) => {
      expect(await repository.deleteForDocument(tx, seeded.tenantId, seeded.documentId)).toBe(2);
      const content = 'Quarterly reports, re-read';
      await repository.insert(tx, seeded.tenantId, [
        { knowledgeBaseId: seeded.knowledgeBaseId, documentId: seeded.documentId, position: 0, content, tokenCount: 4, pageNumber: null, pageEnd: null,
          charStart: 0, charEnd: content.length, contentHash: sha256(content), model: 'test-model', vector: unitVector(0) },
      ]);
    });
    ({ kept, recounted } = await countsNowAndRecounted());
    expect(kept).toEqual(recounted);
    // removing an entry removes its chunks (a cascade from documents)
    expect((await t.get(`/routes/knowledge/stats-a/${first.id}`, { method: 'DELETE' })).status).toBe(204);
    ({ kept, recounted } = await countsNowAndRecounted());
    expect(kept).toEqual(recounted);
    // the lexemes only the removed entry held are gone, not left at zero
    expect(kept.terms.filter((r) => r.lexeme === 'accru')).toEqual([]);
    expect(kept.terms.every((r) => r.chunks > 0)).toBe(true);
  });

  it('refuses to change a chunk’s text in place, which the counts could not follow', async () => {
    const seeded = await seedTenant(t.app, 'stats-update', { texts: ['alpha beta'] });
    await expect(
      prismaOf(t.app).$executeRaw`UPDATE embeddings SET content = 'gamma' WHERE tenant_id = ${seeded.tenantId}::uuid`,
    ).rejects.toThrow(/not updated in place/);
  });

  it('shows a tenant only its own statistics, under row-level security', async () => {
    const a = await seedTenant(t.app, 'stats-own-a', { texts: ['zebra crossing'] });
    await seedTenant(t.app, 'stats-own-b', { texts: ['quokka habitat'] });
    const seen = await t.app.get(TenantDatabase).run(a.tenantId, async (tx) => ({
      terms: await tx.$queryRaw<{ lexeme: string }[]>`SELECT lexeme FROM search_terms WHERE lexeme IN ('zebra', 'quokka')`,
      corpus: await tx.$queryRaw<{ tenant_id: string }[]>`SELECT tenant_id::text FROM search_corpus`,
    }));
    expect(seen.terms.map((r) => r.lexeme)).toEqual(['zebra']);
    expect(seen.corpus.map((r) => r.tenant_id)).toEqual([a.tenantId]);
  });

  describe('keyword ranking', () => {
    let tenantId = '';
    type KeywordMatches = EmbeddingsRepository['keywordMatches'];
    let keywordMatches: jest.SpyInstance<ReturnType<KeywordMatches>, Parameters<KeywordMatches>>;
    beforeAll(async () => {
      tenantId = (await seedTenant(t.app, 'widgets', { texts: WIDGET_TEXTS })).tenantId;
    });
    beforeEach(() => {
      keywordMatches = jest.spyOn(t.app.get(EmbeddingsRepository), 'keywordMatches');
    });
    afterEach(() => keywordMatches.mockRestore());

    const search = async (query: string, topK: number): Promise<string[]> => {
      const res = await t.get('/routes/knowledge/widgets/search', jsonInit('POST', { query, mode: 'keyword', top_k: topK }));
      expect(res.status).toBe(200);
      return ((await res.json()) as { results: { chunk_id: string }[] }).results.map((r) => r.chunk_id);
    };
    /** BM25 over every chunk holding any query term: the list the service must return. */
    const scoredInFull = async (query: string, topK: number): Promise<string[]> => {
      const repository = t.app.get(EmbeddingsRepository);
      return t.app.get(TenantDatabase).run(tenantId, async (tx) => {
        const stats = await repository.keywordStats(tx, tenantId, query);
        const plan = planBm25(stats);
        const all = plan.terms.map((term) => term.lexeme);
        const ranked = await repository.keywordMatches(tx, tenantId, { terms: plan.terms, anyOf: all }, { limit: topK, filters: {}, meanTokens: stats.corpus.meanTokens });
        return ranked.map((r) => r.id);
      });
    };

    it('scores only the chunks holding a rare term when no other chunk could rank, with the same list as scoring them all', async () => {
      const found = await search('widget calibration', 2);
      expect(keywordMatches).toHaveBeenCalledTimes(1);
      expect(keywordMatches.mock.calls[0]?.[2]).toEqual(expect.objectContaining({ anyOf: ['calibr'] }));
      expect(found).toHaveLength(2);
      expect(found).toEqual(await scoredInFull('widget calibration', 2));
    });

    it('scores every chunk holding a term when chunks without the rare term could still rank', async () => {
      // three chunks hold "calibration", five are asked for: widget-only chunks fill the list
      const found = await search('widget calibration', 5);
      expect(keywordMatches).toHaveBeenCalledTimes(2);
      expect(keywordMatches.mock.calls[1]?.[2]).toEqual(expect.objectContaining({ anyOf: ['calibr', 'widget'] }));
      expect(found).toHaveLength(5);
      expect(found).toEqual(await scoredInFull('widget calibration', 5));
    });
  });
});
