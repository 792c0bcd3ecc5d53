import { sha256Hex } from '../../src/common/crypto/sha256-hex.js';
import { TenantDatabase } from '../../src/database/tenant-database.js';
import { DocumentsRepository } from '../../src/documents/documents.repository.js';
import { EmbeddingRebuildsRepository } from '../../src/embeddings/embedding-rebuilds.repository.js';
import { EMBEDDING_PROVIDER } from '../../src/embeddings/embedding-provider.token.js';
import { EmbeddingsRepository } from '../../src/embeddings/embeddings.repository.js';
import type { EmbeddingProvider } from '../../src/embeddings/providers/embedding-provider.js';
import { Reembedder } from '../../src/reembedding/reembedder.js';
import { TEST_ENGINES } from '../support/engines.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';
import { runOps } from '../support/ops-process.js';
import { sampleMarkdown } from '../support/sample-text.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { addNote, readTenant, search, tenantIdOf, type TenantVectors } from './reembed-fixtures.js';

const MODEL_A = 'model-a';
const MODEL_B = 'model-b';

const EXPENSES =
  'Travel expenses are reimbursed when submitted within thirty days with itemised receipts. ' +
  'Hotel costs above 180 euros per night need a director approval before booking.';
const PARKING = 'Visitors park in the underground garage on level minus two; the reception desk hands out the parking badge.';
const STRAGGLER = 'Forklift drivers renew their licence every second spring at the depot in Ghent.';

describe.each(TEST_ENGINES)('ops reembed (%s)', (engine) => {
  let fake: FakeOpenAiServer;
  let db: ScratchDatabase;
  let t: TestApp | undefined;

  const app = (): TestApp => {
    if (!t) throw new Error('the app is not running');
    return t;
  };
  const openAi = (): Record<string, string> => ({ OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, EMBEDDING_MAX_RETRIES: '0' });
  const start = async (model: string): Promise<void> => {
    t = await startTestApp(engine, { ...openAi(), EMBEDDING_MODEL: model, CHUNK_TOKENS: '64', CHUNK_OVERLAP_TOKENS: '8', INGESTION_POLL_MS: '100' }, db);
  };
  const stop = async (): Promise<void> => {
    await t?.close();
    t = undefined;
  };
  /** The ops command beside the running app on PostgreSQL; on PGlite, whose directory one process holds, with the app stopped. */
  const reembed = async (args: string[], env: Record<string, string> = {}): ReturnType<typeof runOps> => {
    if (engine === 'pglite') await stop();
    try {
      return await runOps('reembed', args, { ...db.env, ...openAi(), EMBEDDING_MODEL: MODEL_B, EMBEDDING_CONCURRENCY: '1', ...env });
    } finally {
      if (!t) await start(MODEL_B);
    }
  };
  const tenant = async (slug: string): Promise<TenantVectors> => readTenant(app(), await tenantIdOf(app(), slug));
  const topResult = async (slug: string, query: string): Promise<{ content: string; model: string }> => {
    const found = await search(app(), slug, query);
    expect(found.status).toBe(200);
    return { content: found.body.results[0]?.content ?? '', model: found.body.embedding_model };
  };

  beforeAll(async () => {
    fake = await new FakeOpenAiServer().start();
    db = await createScratchDatabase(engine);
    await start(MODEL_A);
    await addNote(app(), 'acme', 'Expenses', EXPENSES);
    await addNote(app(), 'acme', 'Handbook', sampleMarkdown(3, 2, 3));
    await addNote(app(), 'globex', 'Globex handbook', sampleMarkdown(4, 2, 2));
    await addNote(app(), 'initech', 'Initech handbook', sampleMarkdown(7, 3, 3));
    await stop();
    // the service now embeds with another model; nothing is re-embedded yet
    await start(MODEL_B);
  });
  afterAll(async () => {
    await stop();
    await db?.drop();
    await fake?.close();
  });

  it('searches a tenant with the model its chunks carry, and with both while it holds two', async () => {
    fake.reset();
    expect(await topResult('acme', 'hotel costs director approval')).toEqual({ content: expect.stringContaining('Hotel costs') as string, model: MODEL_A });
    // the configured model first (what a tenant usually holds), then the stored one
    expect(fake.requests.map((r) => r.model)).toEqual([MODEL_B, MODEL_A]);

    // an entry added since the switch is embedded with the new model: acme now holds both
    await addNote(app(), 'acme', 'Parking', PARKING);
    expect((await tenant('acme')).models).toEqual({ [MODEL_A]: expect.any(Number) as number, [MODEL_B]: 1 });
    expect(await topResult('acme', 'hotel costs director approval')).toEqual({ content: expect.stringContaining('Hotel costs') as string, model: `${MODEL_A}, ${MODEL_B}` });
    expect(await topResult('acme', 'where do visitors get a parking badge')).toEqual({ content: PARKING, model: `${MODEL_A}, ${MODEL_B}` });
  });

  it('re-embeds a tenant step by step while its searches keep answering, then swaps it to the new model in one go', async () => {
    const acmeId = await tenantIdOf(app(), 'acme');
    const globexBefore = await tenant('globex');
    const acmeBefore = await tenant('acme');
    const db = app().app.get(TenantDatabase);
    const embeddings = app().app.get(EmbeddingsRepository);
    const reembedder = new Reembedder(
      {
        db,
        embeddings,
        rebuilds: app().app.get(EmbeddingRebuildsRepository),
        documents: app().app.get(DocumentsRepository),
        provider: app().app.get<EmbeddingProvider>(EMBEDDING_PROVIDER),
      },
      { all: false, textsPerStep: 2, swapTimeoutMs: 120_000 },
    );

    const during: { model: string; content: string; progress: number }[] = [];
    const result = await reembedder.run(
      { id: acmeId, slug: 'acme' },
      {
        staged: async (progress) => {
          // between two steps: the live vectors are still the old model's, and searches answer from them
          const found = await topResult('acme', 'hotel costs director approval');
          during.push({ ...found, progress: progress.done });
          if (during.length === 1) {
            // a server still on the old model stores a chunk meanwhile: the swap must take it too
            const [chunk] = await db.run(acmeId, (tx) => tx.embedding.findMany({ where: { tenantId: acmeId, model: MODEL_A }, take: 1 }));
            await db.run(acmeId, (tx) =>
              embeddings.insert(tx, acmeId, [
                {
                  knowledgeBaseId: chunk?.knowledgeBaseId ?? '',
                  documentId: chunk?.documentId ?? '',
                  position: 10_000,
                  content: STRAGGLER,
                  tokenCount: 14,
                  pageNumber: null,
                  pageEnd: null,
                  charStart: 0,
                  charEnd: STRAGGLER.length,
                  contentHash: sha256Hex(STRAGGLER),
                  model: MODEL_A,
                  vector: fake.vectorFor(STRAGGLER, 1536, MODEL_A),
                },
              ]),
            );
          }
        },
      },
    );

    const oldChunks = acmeBefore.models[MODEL_A] ?? 0;
    expect(result.plan).toEqual({ chunks: oldChunks + 1, toRebuild: oldChunks, staged: 0 });
    expect(during.length).toBeGreaterThanOrEqual(2);
    for (const step of during) expect(step).toEqual(expect.objectContaining({ content: expect.stringContaining('Hotel costs') as string, model: `${MODEL_A}, ${MODEL_B}` }));
    // every old chunk and the straggler: staged by a step, or (arrived behind the steps) embedded inside the swap
    expect((during.at(-1)?.progress ?? 0) + result.textsInSwap).toBe(oldChunks + 1);
    expect(result.adopted).toBe(oldChunks + 1); // the straggler included
    expect(result.textsEmbedded + result.textsReused).toBeGreaterThanOrEqual(oldChunks);

    const after = await tenant('acme');
    expect(after.models).toEqual({ [MODEL_B]: oldChunks + 2 });
    expect(after.documents).toEqual({ [MODEL_B]: 3 });
    expect(after.staged).toBe(0);
    const [straggler] = await db.run(acmeId, (tx) => tx.$queryRaw<{ v: string }[]>`SELECT embedding_vector::text AS v FROM embeddings WHERE tenant_id = ${acmeId}::uuid AND content = ${STRAGGLER}`);
    expect(JSON.parse(straggler?.v ?? '[]')).toEqual(fake.vectorFor(STRAGGLER, 1536, MODEL_B).map((x) => expect.closeTo(x, 6) as number));

    // search now embeds queries with the new model alone, and finds with it
    fake.reset();
    expect(await topResult('acme', 'which licence do forklift drivers renew')).toEqual({ content: STRAGGLER, model: MODEL_B });
    expect(await topResult('acme', 'hotel costs director approval')).toEqual({ content: expect.stringContaining('Hotel costs') as string, model: MODEL_B });
    expect(fake.requests.map((r) => r.model)).toEqual([MODEL_B]); // the second query's vector was cached
    // another tenant is untouched
    expect(await tenant('globex')).toEqual(globexBefore);
  });

  it('runs as its own process; an embeddings API failing mid-run leaves the live vectors as they were, and a rerun continues', async () => {
    const before = await tenant('initech');
    const texts = before.models[MODEL_A] ?? 0;
    expect(texts).toBeGreaterThan(6);
    fake.reset();
    // two requests of three texts succeed, the third fails (no retries)
    fake.program({ kind: 'delay', ms: 0 }, { kind: 'delay', ms: 0 }, { kind: 'status', status: 500, message: 'the embeddings backend is down' });
    const failed = await reembed(['--tenant', 'initech'], { EMBEDDING_BATCH_SIZE: '3' });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(new RegExp(`^re-embedding with ${MODEL_B} via ${fake.url.replace(/[.]/g, '\\.')} in .*: tenant initech, chunks of another model than ${MODEL_B}$`, 'm'));
    expect(failed.stdout).toMatch(new RegExp(`^initech: ${texts} of ${texts} chunks to re-embed$`, 'm'));
    expect(failed.stdout).toMatch(new RegExp(`^initech: 3 / ${texts} chunks \\(\\d+%\\)$`, 'm'));
    expect(failed.stdout).toMatch(/^initech: FAILED: the embeddings API answered 500 the embeddings backend is down/m);
    expect(failed.stdout).toMatch(/^reembed: FAILED at initech; before it 0 of 1 tenants re-embedded/m);
    expect(fake.requests.map((r) => [r.model, r.status])).toEqual([[MODEL_B, 200], [MODEL_B, 200], [MODEL_B, 500]]);

    const halfway = await tenant('initech');
    expect({ ...halfway, staged: 0 }).toEqual({ ...before, staged: 0 });
    expect(halfway.staged).toBe(6);
    expect((await search(app(), 'initech', 'invoice refund policy')).body.embedding_model).toBe(MODEL_A);

    fake.reset();
    const rerun = await reembed(['--tenant', 'initech'], { EMBEDDING_BATCH_SIZE: '3' });
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(new RegExp(`^initech: ${texts} of ${texts} chunks to re-embed, 6 staged by an earlier run$`, 'm'));
    expect(rerun.stdout).toMatch(new RegExp(`^initech: ${texts} / ${texts} chunks \\(100%\\)$`, 'm'));
    expect(rerun.stdout).toMatch(new RegExp(`^initech: swapped ${texts} chunks to ${MODEL_B} in one transaction of \\d+\\.\\d\\d s; nothing left staged$`, 'm'));
    expect(rerun.stdout).toMatch(new RegExp(`^reembed: OK: 1 of 1 tenants re-embedded, ${texts} chunks now carry ${MODEL_B} \\(${texts - 6} texts embedded, 0 reused\\)`, 'm'));
    // only the texts not staged by the failed run were sent
    expect(fake.requests.reduce((n, r) => n + r.inputs, 0)).toBe(texts - 6);

    const after = await tenant('initech');
    expect(after.models).toEqual({ [MODEL_B]: texts });
    expect(after.documents).toEqual({ [MODEL_B]: 1 });
    expect(after.staged).toBe(0);
    expect((await search(app(), 'initech', 'invoice refund policy')).body.embedding_model).toBe(MODEL_B);
    expect((await tenant('globex')).models).toEqual({ [MODEL_A]: expect.any(Number) as number });
  });

  it('re-embeds every tenant that needs it, says so for those that do not, and refuses an unknown tenant', async () => {
    const globex = (await tenant('globex')).models[MODEL_A] ?? 0;
    const run = await reembed([]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/: 3 tenants, chunks of another model than model-b$/m);
    expect(run.stdout).toMatch(new RegExp(`^acme: nothing to re-embed \\(all \\d+ chunks carry ${MODEL_B}\\)$`, 'm'));
    expect(run.stdout).toMatch(new RegExp(`^globex: swapped ${globex} chunks to ${MODEL_B}`, 'm'));
    expect(run.stdout).toMatch(/^reembed: OK: 1 of 3 tenants re-embedded/m);
    expect((await tenant('globex')).models).toEqual({ [MODEL_B]: globex });

    // --all: every chunk again, also those of the configured model; the same vectors come back, so no row is rewritten
    const globexBefore = await tenant('globex');
    fake.reset();
    const all = await reembed(['--tenant', 'globex', '--all']);
    expect(all.code).toBe(0);
    expect(all.stdout).toMatch(/: tenant globex, every chunk$/m);
    expect(all.stdout).toMatch(new RegExp(`^globex: ${globex} of ${globex} chunks to re-embed$`, 'm'));
    expect(all.stdout).toMatch(new RegExp(`^globex: swapped 0 chunks to ${MODEL_B} \\(${globex} already held the same vectors\\) in one transaction`, 'm'));
    expect(fake.requests.reduce((n, r) => n + r.inputs, 0)).toBe(globex);
    expect(await tenant('globex')).toEqual(globexBefore);

    const unknown = await reembed(['--tenant', 'nobody']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: there is no tenant "nobody"$/m);
    const typo = await reembed(['--tenants', 'acme']);
    expect(typo.code).toBe(1);
    expect(typo.stderr).toMatch(/unknown argument "--tenants" \(this command takes: --tenant, --all\)/);
  });
});
