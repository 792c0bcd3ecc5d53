import { PrismaService } from '../src/database/prisma.service.js';
import { TenantDatabase } from '../src/database/tenant-database.js';
import { Prisma } from '../src/generated/prisma/client.js';
import { TEST_ENGINES } from './support/engines.js';
import { formOf, jsonInit, META, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface ErrorJson {
  statusCode: number;
  error: string;
  message: string;
  request_id: string;
}

/** Rows stored for the tenant, read past the API: what a refused request must not have added. */
async function stored(t: TestApp, slug: string): Promise<{ entries: number; documents: number; jobs: number; bytes: number }> {
  const tenantId = await tenantIdOf(t, slug);
  if (!tenantId) return { entries: 0, documents: 0, jobs: 0, bytes: 0 };
  const [row] = await t.app.get(TenantDatabase).run(tenantId, (tx) =>
    tx.$queryRaw<{ entries: number; documents: number; jobs: number; bytes: number }[]>(Prisma.sql`
      SELECT (SELECT count(*) FROM knowledge_bases)::int AS entries, (SELECT count(*) FROM documents)::int AS documents,
             (SELECT count(*) FROM ingestion_jobs)::int AS jobs, (SELECT coalesce(sum(byte_size), 0) FROM documents)::int AS bytes`),
  );
  if (!row) throw new Error('no counts');
  return row;
}

async function tenantIdOf(t: TestApp, slug: string): Promise<string | undefined> {
  return (await t.app.get(PrismaService).tenant.findUnique({ where: { slug } }))?.id;
}

const addText = (t: TestApp, slug: string, text: string, title = 'Note'): Promise<Response> =>
  t.get(`/routes/knowledge/${slug}`, jsonInit('POST', { ...META, title, text }));

async function expectRefused(res: Response, status: number, message: RegExp): Promise<ErrorJson> {
  const body = (await res.json()) as ErrorJson;
  expect(res.status).toBe(status);
  expect(body).toEqual({ statusCode: status, error: expect.any(String), message: expect.stringMatching(message), request_id: res.headers.get('x-request-id') });
  return body;
}

describe.each(TEST_ENGINES)('tenant quotas (%s)', (engine) => {
  // no worker: documents stay queued, so what is pending is exactly what was added
  const NO_WORKER = { INGESTION_WORKER: 'false', QUOTA_MAX_PENDING_DOCUMENTS: '0', QUOTA_MAX_STORED_BYTES: '0', QUOTA_UPLOADS_PER_MINUTE: '0' };

  describe('documents queued or processing', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { ...NO_WORKER, QUOTA_MAX_PENDING_DOCUMENTS: '3' });
    });
    afterAll(() => t?.close());

    it('accepts up to the cap, then answers 429 with Retry-After and stores nothing', async () => {
      const accepted: EntryJson[] = [];
      for (const n of [1, 2]) accepted.push((await (await addText(t, 'pending-co', `note ${n}`)).json()) as EntryJson);
      // the boundary: a third document is exactly the cap
      const third = await addText(t, 'pending-co', 'note 3');
      expect(third.status).toBe(202);
      accepted.push((await third.json()) as EntryJson);
      const before = await stored(t, 'pending-co');
      expect(before).toEqual(expect.objectContaining({ entries: 3, documents: 3, jobs: 3 }));

      const refused = await addText(t, 'pending-co', 'note 4');
      await expectRefused(refused, 429, /Too many documents waiting: this tenant has 3 queued or processing, and may have 3/);
      expect(refused.headers.get('retry-after')).toBe('30');
      // a multipart upload and an added source are refused the same way
      const upload = await t.get('/routes/knowledge/pending-co', { method: 'POST', body: formOf(META, [{ name: 'a.txt', bytes: 'file text' }]) });
      await expectRefused(upload, 429, /Too many documents waiting/);
      const added = await t.get(`/routes/knowledge/pending-co/${accepted[0]?.id}/documents`, jsonInit('POST', { text: 'one more' }));
      await expectRefused(added, 429, /Too many documents waiting/);

      expect(await stored(t, 'pending-co')).toEqual(before);
      for (const entry of accepted) {
        const res = await t.get(`/routes/knowledge/pending-co/${entry.id}`);
        expect(res.status).toBe(200);
        expect(((await res.json()) as EntryJson).documents).toEqual([expect.objectContaining({ status: 'queued' })]);
      }
      // another tenant has its own count
      expect((await addText(t, 'other-co', 'not counted against pending-co')).status).toBe(202);
    });

    it('counts documents queued again by a retry', async () => {
      const first = (await (await addText(t, 'retry-co', 'will fail')).json()) as EntryJson;
      const tenantId = (await tenantIdOf(t, 'retry-co')) ?? '';
      await t.app.get(TenantDatabase).run(tenantId, (tx) => tx.$executeRaw`UPDATE documents SET status = 'failed', error = 'boom' WHERE tenant_id = ${tenantId}::uuid`);
      for (const n of [1, 2, 3]) expect((await addText(t, 'retry-co', `pending ${n}`)).status).toBe(202);
      const retry = await t.get(`/routes/knowledge/retry-co/${first.id}/retry`, { method: 'POST' });
      await expectRefused(retry, 429, /Too many documents waiting/);
      const entry = (await (await t.get(`/routes/knowledge/retry-co/${first.id}`)).json()) as EntryJson;
      expect(entry.documents[0]).toEqual(expect.objectContaining({ status: 'failed', error: 'boom' }));
    });

    it('lets exactly as many concurrent requests through as the cap has room for', async () => {
      expect((await addText(t, 'race-co', 'first')).status).toBe(202);
      const answers = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => addText(t, 'race-co', `racing ${n}`)));
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([202, 202, 429, 429, 429, 429]);
      expect(await stored(t, 'race-co')).toEqual(expect.objectContaining({ entries: 3, documents: 3, jobs: 3 }));
    });
  });

  describe('bytes stored', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { ...NO_WORKER, QUOTA_MAX_STORED_BYTES: '1000' });
    });
    afterAll(() => t?.close());

    it('accepts up to the cap, then answers 413 and stores nothing', async () => {
      expect((await addText(t, 'storage-co', 'a'.repeat(600))).status).toBe(202);
      // the boundary: 1,000 bytes in all is exactly the cap
      const upload = await t.get('/routes/knowledge/storage-co', { method: 'POST', body: formOf(META, [{ name: 'b.txt', bytes: 'b'.repeat(400) }]) });
      expect(upload.status).toBe(202);
      const entry = (await upload.json()) as EntryJson;
      const before = await stored(t, 'storage-co');
      expect(before).toEqual({ entries: 2, documents: 2, jobs: 2, bytes: 1000 });

      const over = await t.get('/routes/knowledge/storage-co', { method: 'POST', body: formOf(META, [{ name: 'c.txt', bytes: 'c' }]) });
      await expectRefused(over, 413, /Storage quota exceeded: this tenant stores 1000 bytes of its 1000 bytes, and these sources add 1 bytes/);
      expect(over.headers.get('retry-after')).toBeNull(); // waiting frees nothing: only deleting does
      await expectRefused(await t.get(`/routes/knowledge/storage-co/${entry.id}/documents`, jsonInit('POST', { text: 'x' })), 413, /Storage quota/);
      expect(await stored(t, 'storage-co')).toEqual(before);
      expect(((await (await t.get(`/routes/knowledge/storage-co/${entry.id}`)).json()) as EntryJson).documents).toHaveLength(1);

      // deleting makes room
      expect((await t.get(`/routes/knowledge/storage-co/${entry.id}`, { method: 'DELETE' })).status).toBe(204);
      expect((await addText(t, 'storage-co', 'c')).status).toBe(202);
    });
  });

  describe('uploads per minute', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { ...NO_WORKER, QUOTA_UPLOADS_PER_MINUTE: '4' });
    });
    afterAll(() => t?.close());

    /** Moves the tenant's documents `seconds` into the past, in database time (what the window is measured in). */
    const age = async (slug: string, seconds: number): Promise<void> => {
      const tenantId = (await tenantIdOf(t, slug)) ?? '';
      await t.app.get(TenantDatabase).run(tenantId, (tx) =>
        tx.$executeRaw`UPDATE documents SET created_at = created_at - make_interval(secs => ${seconds}) WHERE tenant_id = ${tenantId}::uuid`,
      );
    };

    it('counts documents, not requests, and refuses past the cap with the time until room frees', async () => {
      expect((await addText(t, 'rate-co', 'one')).status).toBe(202);
      await age('rate-co', 20); // added 20 s ago: leaves the window in 40 s
      // three documents in one request: four in the window, exactly the cap
      const three = await t.get('/routes/knowledge/rate-co', {
        method: 'POST',
        body: formOf(META, [
          { name: 'a.txt', bytes: 'first file' },
          { name: 'b.txt', bytes: 'second file' },
          { name: 'c.txt', bytes: 'third file' },
        ]),
      });
      expect(three.status).toBe(202);
      const before = await stored(t, 'rate-co');

      const refused = await addText(t, 'rate-co', 'five');
      await expectRefused(refused, 429, /Upload rate exceeded: this tenant may add 4 documents per minute/);
      // room frees when the oldest document leaves the window, in at most 40 s (database time runs on meanwhile)
      const retryAfter = Number(refused.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(40);
      expect(await stored(t, 'rate-co')).toEqual(before);

      // a request of more documents than a minute allows can never pass: 422, not 429
      const tooMany = await t.get('/routes/knowledge/rate-co', {
        method: 'POST',
        body: formOf(META, ['1', '2', '3', '4', '5'].map((n) => ({ name: `${n}.txt`, bytes: `file ${n}` }))),
      });
      await expectRefused(tooMany, 422, /A request may add at most 4 documents \(it has 5\)/);

      await age('rate-co', 61);
      expect((await addText(t, 'rate-co', 'five, a minute later')).status).toBe(202);
    });
  });
});
