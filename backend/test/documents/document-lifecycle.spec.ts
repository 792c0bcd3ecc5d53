import type { INestApplicationContext } from '@nestjs/common';

import { AppError } from '../../src/common/errors/app-error.js';
import { TenantDatabase } from '../../src/database/tenant-database.js';
import { DocumentLifecycle } from '../../src/documents/document-lifecycle.service.js';
import { DocumentsRepository } from '../../src/documents/documents.repository.js';
import { KnowledgeBasesRepository } from '../../src/documents/knowledge-bases.repository.js';
import { textSource } from '../../src/documents/new-source.js';
import { startServiceContext, tenantId } from '../support/service-context.js';

/** An entry's stored status follows every change of its documents, in the same transaction. */
describe('DocumentLifecycle (service tier, in-memory PGlite)', () => {
  let context: INestApplicationContext;
  let db: TenantDatabase;
  let lifecycle: DocumentLifecycle;
  let entries: KnowledgeBasesRepository;
  let documents: DocumentsRepository;
  let tenant: string;

  beforeAll(async () => {
    context = await startServiceContext();
    db = context.get(TenantDatabase);
    lifecycle = context.get(DocumentLifecycle);
    entries = context.get(KnowledgeBasesRepository);
    documents = context.get(DocumentsRepository);
    tenant = await tenantId(context, 'lifecycle-co');
  });
  afterAll(() => context?.close());

  let counter = 0;
  /** A new entry with `n` pasted-text documents; answers the entry and document ids. */
  const entryWith = (n: number): Promise<{ entry: string; docs: string[] }> =>
    db.run(tenant, async (tx) => {
      const entry = await entries.create(tx, tenant, { title: `entry ${++counter}`, type: 'Reference', intent: 'Technical', tags: [] });
      const docs = await lifecycle.add(tx, tenant, entry, Array.from({ length: n }, (_, i) => textSource(`text ${counter}.${i}`)));
      return { entry, docs };
    });
  const statusOf = async (entry: string): Promise<string | undefined> => (await db.run(tenant, (tx) => entries.find(tx, tenant, entry)))?.status;
  const ready = { chunkCount: 3, pageCount: null, embeddingModel: 'm', mimeType: null, byteSize: null };

  it('walks an entry through queued, processing, partial and ready as its documents change', async () => {
    const { entry, docs } = await entryWith(2);
    const [first, second] = docs as [string, string];
    expect(await statusOf(entry)).toBe('queued');

    const started = await db.run(tenant, (tx) => lifecycle.start(tx, tenant, first));
    expect(started).toMatchObject({ id: first, knowledgeBaseId: entry, sourceKind: 'text' });
    expect(started?.content?.toString()).toMatch(/^text /);
    expect(await statusOf(entry)).toBe('processing');

    await db.run(tenant, (tx) => lifecycle.markReady(tx, tenant, first, ready));
    expect(await statusOf(entry)).toBe('processing'); // the second still waits
    await db.run(tenant, (tx) => lifecycle.markFailed(tx, tenant, second, 'unreadable'));
    expect(await statusOf(entry)).toBe('partial');

    expect(await db.run(tenant, (tx) => lifecycle.requeueFailed(tx, tenant, entry))).toEqual([second]);
    expect(await statusOf(entry)).toBe('processing');
    await db.run(tenant, (tx) => lifecycle.markRetrying(tx, tenant, second, 'try again'));
    expect(await statusOf(entry)).toBe('processing');

    expect(await db.run(tenant, (tx) => lifecycle.remove(tx, tenant, entry, second))).toBe(true);
    expect(await statusOf(entry)).toBe('ready');
    expect((await db.run(tenant, (tx) => entries.find(tx, tenant, entry)))?.chunkCount).toBe(3);
  });

  it('shows an entry whose documents all failed as failed, and one with none as ready', async () => {
    const { entry, docs } = await entryWith(2);
    for (const doc of docs) await db.run(tenant, (tx) => lifecycle.markFailed(tx, tenant, doc, 'broken'));
    expect(await statusOf(entry)).toBe('failed');
    for (const doc of docs) await db.run(tenant, (tx) => lifecycle.remove(tx, tenant, entry, doc));
    expect(await statusOf(entry)).toBe('ready');
  });

  it('refuses a source the tenant already holds, or one sent twice, as a conflict', async () => {
    const { entry } = await entryWith(1);
    const again = db.run(tenant, (tx) => lifecycle.add(tx, tenant, entry, [textSource(`text ${counter}.0`)]));
    await expect(again).rejects.toBeInstanceOf(AppError);
    await expect(again).rejects.toMatchObject({ code: 'conflict', details: { existingEntryId: entry } });
    const twice = db.run(tenant, (tx) => lifecycle.add(tx, tenant, entry, [textSource('same'), textSource('same')]));
    await expect(twice).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('sent twice') });
    // and the repository maps the unique index to the same domain error when a race gets past the check
    const raced = db.run(tenant, (tx) => documents.insert(tx, tenant, entry, textSource(`text ${counter}.0`)));
    await expect(raced).rejects.toMatchObject({ code: 'conflict', message: expect.stringContaining('concurrent request') });
  });

  it('leaves a document removed meanwhile alone', async () => {
    const { entry, docs } = await entryWith(1);
    await db.run(tenant, (tx) => lifecycle.remove(tx, tenant, entry, docs[0] ?? ''));
    expect(await db.run(tenant, (tx) => lifecycle.start(tx, tenant, docs[0] ?? ''))).toBeNull();
    await db.run(tenant, (tx) => lifecycle.markFailed(tx, tenant, docs[0] ?? '', 'gone'));
    expect(await statusOf(entry)).toBe('ready');
  });
});
