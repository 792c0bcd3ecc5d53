import { TenantDatabase } from '../src/database/tenant-database.js';
import { EmbeddingsRepository } from '../src/embeddings/embeddings.repository.js';
import { HTTP_ENGINE } from './support/engines.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { addNote, search, tenantIdOf } from './ops/reembed-fixtures.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { sha256 } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const NOTE = 'Hotel costs above 180 euros per night need a director approval before booking.';

/** A tenant whose chunks carry another model than the configured one, searched before it is re-embedded. */
describe(`search with the model a tenant's chunks carry (${HTTP_ENGINE})`, () => {
  let fake: FakeOpenAiServer;
  let db: ScratchDatabase;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAiServer().start();
    db = await createScratchDatabase(HTTP_ENGINE);
    // stored by the offline embedder (no key), then the service is given an OpenAI-compatible one
    const offline = await startTestApp(HTTP_ENGINE, {}, db);
    await addNote(offline, 'offline', 'Expenses', NOTE);
    await offline.close();
    t = await startTestApp(HTTP_ENGINE, { OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, EMBEDDING_MAX_RETRIES: '0' }, db);
  });
  afterAll(async () => {
    await t?.close();
    await db?.drop();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it("embeds the query offline for chunks of the offline embedder, which runs anywhere", async () => {
    for (const mode of ['semantic', 'hybrid']) {
      const found = await search(t, 'offline', `director approval for hotel costs (${mode})`, mode);
      expect(found.status).toBe(200);
      expect(found.body.embedding_model).toBe('business-brain-lexical-v1');
      expect(found.body.results[0]?.content).toBe(NOTE);
    }
    // the configured model was tried first; the offline vectors cost no request
    expect(fake.requests.map((r) => r.model)).toEqual(['text-embedding-3-small', 'text-embedding-3-small']);
  });

  it('answers 409 naming the stored model when the embeddings API does not serve it', async () => {
    const tenantId = await tenantIdOf(t, 'retired');
    const { knowledgeBaseId, documentId } = await t.app.get(TenantDatabase).run(tenantId, async (tx) => {
      const kb = await tx.knowledgeBase.create({ data: { tenantId, title: 'Old', type: 'Reference', intent: 'Technical', tags: [], status: 'ready' } });
      const doc = await tx.document.create({
        data: { tenantId, knowledgeBaseId: kb.id, sourceKind: 'text', contentHash: sha256('old'), status: 'ready', embeddingModel: 'retired-model', chunkCount: 1 },
      });
      return { knowledgeBaseId: kb.id, documentId: doc.id };
    });
    await t.app.get(TenantDatabase).run(tenantId, (tx) =>
      t.app.get(EmbeddingsRepository).insert(tx, tenantId, [
        {
          knowledgeBaseId,
          documentId,
          position: 0,
          content: NOTE,
          tokenCount: 16,
          pageNumber: null,
          pageEnd: null,
          charStart: 0,
          charEnd: NOTE.length,
          contentHash: sha256(NOTE),
          model: 'retired-model',
          vector: fake.vectorFor(NOTE, 1536, 'retired-model'),
        },
      ]),
    );

    // served: the query is embedded with the stored model
    const served = await search(t, 'retired', 'hotel approval');
    expect(served.status).toBe(200);
    expect(served.body).toEqual(expect.objectContaining({ embedding_model: 'retired-model', results: [expect.objectContaining({ content: NOTE })] }));

    // the endpoint no longer knows it: no retry helps, so 409 with what to do
    fake.program({ kind: 'delay', ms: 0 }, { kind: 'status', status: 404, code: 'model_not_found', message: 'The model `retired-model` does not exist' });
    const refused = await search(t, 'retired', 'hotel approval before booking');
    expect(refused.status).toBe(409);
    const body = refused.body as unknown as { statusCode: number; message: string };
    expect(body.statusCode).toBe(409);
    expect(body.message).toMatch(
      /embedded with retired-model, which the embeddings API refused .*does not exist.*; the service now embeds with text-embedding-3-small: re-embed it \(npx nx run backend:reembed/,
    );
    expect(fake.requests.map((r) => [r.model, r.status])).toEqual([
      ['text-embedding-3-small', 200],
      ['retired-model', 200],
      ['text-embedding-3-small', 200],
      ['retired-model', 404],
    ]);
    // keyword search needs no vector
    expect((await search(t, 'retired', 'hotel approval', 'keyword')).status).toBe(200);
  });
});
