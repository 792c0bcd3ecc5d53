import { assertTenantId } from '../src/database/assert-tenant-id.js';
import { TenantDatabase } from '../src/database/tenant-database.js';
import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';
import { KnowledgeBasesRepository } from '../src/documents/knowledge-bases.repository.js';
import { TEST_ENGINES } from './support/engines.js';
import { prismaOf, seedTenant, unitVector } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const nearestOptions = { limit: 10, metric: 'cosine', filters: {}, exact: false, efSearch: 40 } as const;

describe.each(TEST_ENGINES)('tenant isolation (%s)', (engine) => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof seedTenant>>;
  let b: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    t = await startTestApp(engine);
    a = await seedTenant(t.app, 'tenant-a', { chunks: 3, axis: 10 });
    b = await seedTenant(t.app, 'tenant-b', { chunks: 3, axis: 10 });
  });
  afterAll(() => t?.close());

  it("row-level security: an unscoped SELECT inside tenant A's transaction sees only A's rows", async () => {
    const db = t.app.get(TenantDatabase);
    const seen = await db.run(a.tenantId, async (tx) => ({
      kb: await tx.$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id::text FROM knowledge_bases'),
      docs: await tx.$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id::text FROM documents'),
      emb: await tx.$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id::text FROM embeddings'),
      // the Prisma client without a tenant filter, too
      viaClient: await tx.knowledgeBase.findMany({ select: { tenantId: true } }),
    }));
    expect(seen.kb.length).toBe(1);
    expect(seen.docs.length).toBe(1);
    expect(seen.emb.length).toBe(3);
    for (const row of [...seen.kb, ...seen.docs, ...seen.emb]) expect(row.tenant_id).toBe(a.tenantId);
    expect(seen.viaClient).toEqual([{ tenantId: a.tenantId }]);
  });

  it('holds although the service connects as a superuser', async () => {
    const [{ rolsuper }] = await prismaOf(t.app).$queryRawUnsafe<{ rolsuper: boolean }[]>(
      'SELECT rolsuper FROM pg_roles WHERE rolname = current_user',
    );
    expect(rolsuper).toBe(true);
    // outside a tenant transaction the superuser sees both tenants: RLS is what filters above
    const all = await prismaOf(t.app).$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM knowledge_bases');
    expect(all[0]?.n).toBeGreaterThanOrEqual(2);
  });

  it("refuses to write a row for tenant B inside tenant A's transaction", async () => {
    const db = t.app.get(TenantDatabase);
    await expect(
      db.run(a.tenantId, (tx) =>
        tx.knowledgeBase.create({ data: { tenantId: b.tenantId, title: 'smuggled', type: 'Reference', intent: 'Technical' } }),
      ),
    ).rejects.toThrow(/row-level security|violates/i);
  });

  it("cannot update or delete tenant B's rows from tenant A's transaction", async () => {
    const db = t.app.get(TenantDatabase);
    const changed = await db.run(a.tenantId, (tx) =>
      tx.$executeRawUnsafe(`UPDATE knowledge_bases SET title = 'hijacked' WHERE id = '${b.knowledgeBaseId}'`),
    );
    expect(changed).toBe(0);
    const deleted = await db.run(a.tenantId, (tx) => tx.$executeRawUnsafe('DELETE FROM embeddings'));
    expect(deleted).toBe(3);
    const bStill = await db.run(b.tenantId, (tx) => tx.embedding.count());
    expect(bStill).toBe(3);
  });

  it('vector search only returns the asking tenant’s chunks', async () => {
    const hits = await t.app.get(TenantDatabase).run(b.tenantId, (tx) => t.app.get(EmbeddingsRepository).nearest(tx, b.tenantId, unitVector(10), nearestOptions));
    expect(hits.length).toBe(3);
    const chunks = await t.app.get(TenantDatabase).run(b.tenantId, (tx) => t.app.get(EmbeddingsRepository).hits(tx, b.tenantId, hits.map((h) => h.id)));
    expect(new Set(chunks.map((h) => h.knowledgeBaseId))).toEqual(new Set([b.knowledgeBaseId]));
    expect(chunks.find((c) => c.id === hits[0]?.id)?.position).toBe(0); // smallest wobble is closest
    expect(hits[0]?.value).toBeCloseTo(0, 5);
  });

  it('tenant-owned methods refuse an empty or malformed tenant id', async () => {
    const db = t.app.get(TenantDatabase);
    const entries = t.app.get(KnowledgeBasesRepository);
    await expect(db.run('', () => Promise.resolve())).rejects.toThrow(/Tenant id is required/);
    // inside a valid tenant's transaction, a repository still refuses a missing tenant id
    await db.run(a.tenantId, async (tx) => {
      await expect(entries.list(tx, '', { limit: 10, offset: 0 })).rejects.toThrow(/Tenant id is required/);
      await expect(entries.list(tx, undefined as unknown as string, { limit: 10, offset: 0 })).rejects.toThrow(/Tenant id is required/);
      await expect(t.app.get(EmbeddingsRepository).nearest(tx, 'acme', unitVector(1), nearestOptions)).rejects.toThrow(/UUID/);
    });
    expect(() => assertTenantId(a.tenantId)).not.toThrow();
  });

  it('with no tenant pinned, the bb_tenant role sees nothing', async () => {
    const rows = await prismaOf(t.app).$transaction(async (tx) => {
      await tx.$executeRawUnsafe('SET LOCAL ROLE bb_tenant');
      return tx.$queryRawUnsafe<{ n: number }[]>('SELECT count(*)::int AS n FROM knowledge_bases');
    });
    expect(rows[0]?.n).toBe(0);
  });
});
