import { PrismaService } from '../src/database/prisma.service.js';
import { TenantDatabase } from '../src/database/tenant-database.js';
import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';
import { TEST_ENGINES } from './support/engines.js';
import { sha256, unitVector } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Proves schema.prisma and the migrated database agree: every model is written and read back. */
describe.each(TEST_ENGINES)('Prisma schema matches the migrated database (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t?.close());

  it('writes and reads every model and field', async () => {
    const prisma = t.app.get(PrismaService);
    const tenant = await prisma.tenant.create({ data: { slug: 'roundtrip', clerkOrgId: 'org_roundtrip' } });
    expect(await prisma.tenant.findUniqueOrThrow({ where: { id: tenant.id } })).toEqual(tenant);

    const db = t.app.get(TenantDatabase);
    const { kb, doc } = await db.run(tenant.id, async (tx) => {
      const kb = await tx.knowledgeBase.create({
        data: { tenantId: tenant.id, title: 'T'.repeat(200), type: 'Reference', intent: 'Technical', tags: ['a', 'b'], status: 'processing' },
      });
      const doc = await tx.document.create({
        data: {
          tenantId: tenant.id,
          knowledgeBaseId: kb.id,
          sourceKind: 'file',
          filename: 'handbook.pdf',
          sourceUrl: 'https://example.com/handbook.pdf',
          mimeType: 'application/pdf',
          byteSize: 4,
          contentHash: sha256('%PDF'),
          content: Buffer.from('%PDF'),
          status: 'failed',
          stage: 'parsing',
          progress: 40,
          error: 'PDF is password-protected',
          chunkCount: 2,
          pageCount: 10,
          processedAt: new Date('2026-11-25T00:00:00.000Z'),
        },
      });
      return { kb, doc };
    });
    const readBack = await db.run(tenant.id, async (tx) => ({
      kb: await tx.knowledgeBase.findUniqueOrThrow({ where: { id: kb.id } }),
      doc: await tx.document.findUniqueOrThrow({ where: { id: doc.id } }),
    }));
    expect(readBack.kb).toEqual(kb);
    expect(readBack.doc).toEqual(doc);
    expect(Buffer.from(readBack.doc.content ?? []).toString()).toBe('%PDF');

    await db.run(tenant.id, (tx) => t.app.get(EmbeddingsRepository).insert(tx, tenant.id, [
      {
        knowledgeBaseId: kb.id,
        documentId: doc.id,
        position: 0,
        content: 'first chunk',
        tokenCount: 2,
        pageNumber: 3,
        pageEnd: 4,
        charStart: 0,
        charEnd: 11,
        contentHash: sha256('first chunk'),
        model: 'text-embedding-3-small',
        vector: unitVector(5),
      },
    ]));
    const embedding = await db.run(tenant.id, (tx) => tx.embedding.findFirstOrThrow({ where: { tenantId: tenant.id, documentId: doc.id } }));
    expect(embedding).toEqual(
      expect.objectContaining({ position: 0, content: 'first chunk', tokenCount: 2, pageNumber: 3, pageEnd: 4, charEnd: 11, model: 'text-embedding-3-small' }),
    );
    const [stored] = await db.run(tenant.id, (tx) =>
      tx.$queryRaw<{ dims: number; first: number }[]>`SELECT vector_dims(embedding_vector) AS dims, (embedding_vector::real[])[6] AS first FROM embeddings WHERE id = ${embedding.id}::uuid`,
    );
    expect(stored).toEqual({ dims: 1536, first: 1 });

    // deleting the entry takes its documents and embeddings with it
    await db.run(tenant.id, (tx) => tx.knowledgeBase.delete({ where: { id: kb.id } }));
    expect(await db.run(tenant.id, (tx) => tx.embedding.count())).toBe(0);
    expect(await db.run(tenant.id, (tx) => tx.document.count())).toBe(0);
  });

  it('writes and reads a rate-limit window, which is no tenant\'s (no row-level security)', async () => {
    const prisma = t.app.get(PrismaService);
    const row = await prisma.rateLimitWindow.create({ data: { bucket: 'tenant:roundtrip', windowStart: new Date('2026-12-03T10:00:00.000Z'), hits: 7 } });
    expect(await prisma.rateLimitWindow.findUniqueOrThrow({ where: { bucket_windowStart: { bucket: row.bucket, windowStart: row.windowStart } } })).toEqual(row);
    const [persistence] = await prisma.$queryRaw<{ relpersistence: string; relrowsecurity: boolean }[]>`
      SELECT relpersistence::text AS relpersistence, relrowsecurity FROM pg_class WHERE relname = 'rate_limit_windows'`;
    expect(persistence).toEqual({ relpersistence: 'u', relrowsecurity: false }); // unlogged
  });

  it('stores every component of a vector exactly, as a float4', async () => {
    const prisma = t.app.get(PrismaService);
    const tenant = await prisma.tenant.create({ data: { slug: 'vectors', clerkOrgId: 'org_vectors' } });
    const db = t.app.get(TenantDatabase);
    const { kb, doc } = await db.run(tenant.id, async (tx) => {
      const kb = await tx.knowledgeBase.create({ data: { tenantId: tenant.id, title: 'Vectors', type: 'Reference', intent: 'Technical', tags: [] } });
      const doc = await tx.document.create({
        data: { tenantId: tenant.id, knowledgeBaseId: kb.id, sourceKind: 'text', contentHash: sha256('v'), status: 'ready' },
      });
      return { kb, doc };
    });
    // awkward values: signs, tiny and large magnitudes, ones that float4 must round
    const vector = Array.from({ length: 1536 }, (_, i) => (i % 7 === 0 ? -1 : 1) * Math.sin(i + 0.5) * 10 ** ((i % 9) - 6));
    await db.run(tenant.id, (tx) => t.app.get(EmbeddingsRepository).insert(tx, tenant.id, [
      {
        knowledgeBaseId: kb.id,
        documentId: doc.id,
        position: 0,
        content: 'awkward',
        tokenCount: 1,
        pageNumber: null,
        pageEnd: null,
        charStart: 0,
        charEnd: 7,
        contentHash: sha256('awkward'),
        model: 'm',
        vector,
      },
    ]));
    const [row] = await db.run(tenant.id, (tx) => tx.$queryRaw<{ v: number[] }[]>`SELECT embedding_vector::real[] AS v FROM embeddings WHERE document_id = ${doc.id}::uuid`);
    // real[] comes back as shortest round-trip decimals: fround recovers the exact float4 stored
    expect(row?.v.map((x) => Math.fround(Number(x)))).toEqual(vector.map(Math.fround));
  });

  it('rejects a vector of the wrong size before it reaches SQL', async () => {
    await expect(
      t.app.get(TenantDatabase).run('00000000-0000-4000-8000-000000000000', (tx) =>
        t.app.get(EmbeddingsRepository).nearest(tx, '00000000-0000-4000-8000-000000000000', [1, 2, 3], { limit: 1, metric: 'cosine', filters: {}, exact: true, efSearch: 40 }),
      ),
    ).rejects.toThrow(/1536 dimensions/);
  });
});
