import { request as httpRequest, type ClientRequest } from 'node:http';

import { PrismaService } from '../src/database/prisma.service.js';
import { UploadMemoryBudget } from '../src/knowledge/upload-memory.interceptor.js';
import { TEST_ENGINES } from './support/engines.js';
import { formOf, META, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const KB = 1024;
/** The budget holds one of the big uploads below, not two. */
const ENV = { MAX_UPLOAD_BYTES: String(600 * KB), UPLOAD_MEMORY_BUDGET_BYTES: String(1000 * KB), INGESTION_WORKER: 'false' };

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A multipart upload as a browser would send it, as bytes with its content type. */
async function multipart(title: string, name: string, size: number): Promise<{ body: Buffer; contentType: string }> {
  const response = new Response(formOf({ ...META, title }, [{ name, bytes: Buffer.alloc(size, `${title} `) }]));
  return { body: Buffer.from(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
}

/**
 * An upload whose body arrives in two parts, the second only when the test says: while the server
 * waits for the rest, the request holds its share of the budget.
 */
class SlowUpload {
  /** Every one not finished, so a failed test leaves no request holding its server open. */
  static readonly open = new Set<SlowUpload>();
  readonly answer: Promise<Answer>;
  private readonly request: ClientRequest;

  constructor(
    baseUrl: string,
    path: string,
    private readonly upload: { body: Buffer; contentType: string },
  ) {
    const url = new URL(path, baseUrl);
    this.request = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': upload.contentType, 'content-length': String(upload.body.length) },
    });
    this.answer = new Promise((resolve, reject) => {
      this.request.on('close', () => reject(new Error('the upload was abandoned before an answer')));
      this.request.on('response', (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      });
      this.request.on('error', reject);
    });
    void this.answer.catch(() => undefined); // reported to whoever awaits it
    this.request.write(upload.body.subarray(0, 1000));
    SlowUpload.open.add(this);
  }

  finish(): void {
    SlowUpload.open.delete(this);
    this.request.end(this.upload.body.subarray(1000));
  }

  abandon(): void {
    SlowUpload.open.delete(this);
    this.request.destroy();
  }

  static abandonAll(): void {
    for (const upload of SlowUpload.open) upload.abandon();
  }
}

/** Waits for the budget to reach a state: an event inside the server, observed, not a length of time. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

const entryCount = async (t: TestApp, slug: string): Promise<number> => {
  const tenant = await t.app.get(PrismaService).tenant.findUnique({ where: { slug } });
  return tenant ? t.app.get(PrismaService).knowledgeBase.count({ where: { tenantId: tenant.id } }) : 0;
};

describe.each(TEST_ENGINES)('upload memory bounded across requests (%s)', (engine) => {
  describe('waiting for room', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { ...ENV, UPLOAD_MEMORY_WAIT_MS: '600000', HTTP_REQUEST_TIMEOUT_MS: '900000' });
    });
    afterAll(async () => {
      SlowUpload.abandonAll();
      await t?.close();
    });

    it('holds an upload that does not fit until one ahead of it is stored, then takes it', async () => {
      const budget = t.app.get(UploadMemoryBudget);
      const first = new SlowUpload(t.baseUrl, '/routes/knowledge/mem-co', await multipart('First', 'first.txt', 550 * KB));
      await until(() => budget.inUse > 550 * KB);

      const second = await multipart('Second', 'second.txt', 500 * KB);
      let secondSettled = false;
      const secondAnswer = t
        .get('/routes/knowledge/mem-co', { method: 'POST', headers: { 'content-type': second.contentType }, body: new Uint8Array(second.body) })
        .finally(() => (secondSettled = true));
      await until(() => budget.waiting === 1);
      // a small one fits beside the first, but waits its turn behind the second
      const small = t.get('/routes/knowledge/mem-co', { method: 'POST', body: formOf({ ...META, title: 'Small' }, [{ name: 's.txt', bytes: 'small file' }]) });
      await until(() => budget.waiting === 2);
      expect(secondSettled).toBe(false);
      expect(budget.inUse).toBeLessThanOrEqual(budget.capacity);

      first.finish();
      expect((await first.answer).status).toBe(202);
      expect((await secondAnswer).status).toBe(202);
      expect((await small).status).toBe(202);
      await until(() => budget.inUse === 0 && budget.waiting === 0);
      expect(await entryCount(t, 'mem-co')).toBe(3);
    });
  });

  describe('refusing what does not fit', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { ...ENV, UPLOAD_MEMORY_WAIT_MS: '0' });
    });
    afterAll(async () => {
      SlowUpload.abandonAll();
      await t?.close();
    });

    it('answers 503 with Retry-After while the budget is taken, and takes the upload again once it is free', async () => {
      const budget = t.app.get(UploadMemoryBudget);
      const first = new SlowUpload(t.baseUrl, '/routes/knowledge/busy-co', await multipart('First', 'first.txt', 550 * KB));
      await until(() => budget.inUse > 550 * KB);

      const second = await multipart('Second', 'second.txt', 500 * KB);
      const send = () => t.get('/routes/knowledge/busy-co', { method: 'POST', headers: { 'content-type': second.contentType }, body: new Uint8Array(second.body) });
      const refused = await send();
      expect(refused.status).toBe(503);
      expect(refused.headers.get('retry-after')).toBe('5');
      expect(await refused.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        message: 'The server is taking in as many uploads as its memory allows; try again shortly.',
        request_id: refused.headers.get('x-request-id'),
      });
      expect(await entryCount(t, 'busy-co')).toBe(0);

      first.finish();
      expect((await first.answer).status).toBe(202);
      await until(() => budget.inUse === 0);
      expect((await send()).status).toBe(202);
      const entries = (await (await t.get('/routes/knowledge/busy-co/index')).json()) as { entries: EntryJson[] };
      expect(entries.entries.map((e) => e.title).sort()).toEqual(['First', 'Second']);
    });

    it('refuses an upload larger than the whole budget from its Content-Length, before reading it', async () => {
      const big = new SlowUpload(t.baseUrl, '/routes/knowledge/big-co', { body: Buffer.alloc(1100 * KB, 'x'), contentType: 'multipart/form-data; boundary=b' });
      // answered although almost all of the body was never sent
      const answer = await big.answer;
      big.abandon();
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toEqual(
        expect.objectContaining({ statusCode: 413, message: 'This upload is 1.1 MB, more than the 1000 KB the server takes in at once; send fewer files per request.' }),
      );
      expect(t.app.get(UploadMemoryBudget).inUse).toBe(0);
      expect(await entryCount(t, 'big-co')).toBe(0);
    });
  });
});
