import 'reflect-metadata';

import { resolve } from 'node:path';

import { NestFactory } from '@nestjs/core';

import { extractDocument } from '../../src/extraction/extract-document.js';
import { ExtractionError, UnsupportedTypeError } from '../../src/extraction/extraction-errors.js';
import { DEFAULT_EXTRACTION_LIMITS, resolveLimits, type ExtractionLimits } from '../../src/extraction/extraction-limits.js';
import { ExtractionPool } from '../../src/extraction/extraction-pool.js';
import { ExtractionModule } from '../../src/extraction/extraction.module.js';
import { ExtractionService } from '../../src/extraction/extraction.service.js';
import { resolveWorkerFile } from '../../src/common/workers/worker-file.js';
import type { ExtractionTask } from '../../src/extraction/worker-protocol.js';
import { windowsExecutable } from '../support/fixtures/binary-fixtures.js';
import { largeHtml } from '../support/fixtures/html-fixtures.js';
import { makeLargePdf, makePdf } from '../support/fixtures/pdf-fixtures.js';

/**
 * The service runs the compiled worker (dist/backend/extraction), so these tests exercise the
 * build: run `npx tsc -p backend/tsconfig.app.json` first (the Nx test target does).
 */
const services: ExtractionService[] = [];
function service(overrides: Partial<ExtractionLimits> = {}): ExtractionService {
  const created = new ExtractionService({ ...DEFAULT_EXTRACTION_LIMITS, workers: 1, ...overrides });
  services.push(created);
  return created;
}

afterAll(async () => {
  await Promise.all(services.map((s) => s.onModuleDestroy()));
});

describe('ExtractionService (worker pool)', () => {
  it('loads the compiled worker from the build output when running from sources', () => {
    expect(resolveWorkerFile('extraction/extraction.worker.js')).toMatch(/dist\/backend\/extraction\/extraction\.worker\.js$/);
  });

  it('extracts in a worker exactly what the in-process pipeline extracts', async () => {
    const pdf = await makePdf({ pages: ['Alpha page.', 'Beta page.'], title: 'Two pages' });
    const pooled = await service().extract(pdf, { filename: 'two.pdf' });
    expect(pooled).toEqual(await extractDocument(pdf, {}, DEFAULT_EXTRACTION_LIMITS));
    expect(pooled.pages).toEqual([
      { page: 1, start: 0, end: 11 },
      { page: 2, start: 13, end: 23 },
    ]);
  });

  it('rebuilds the error classes thrown in the worker on the calling side', async () => {
    const svc = service();
    const encrypted = await svc.extract(await makePdf({ pages: ['x'], userPassword: 'pw' }), {}).catch((e: unknown) => e);
    expect(encrypted).toBeInstanceOf(ExtractionError);
    expect(encrypted).toMatchObject({ code: 'encrypted', message: expect.stringContaining('password-protected') });

    const unsupported = await svc.extract(windowsExecutable(), { filename: 'invoice.pdf' }).catch((e: unknown) => e);
    expect(unsupported).toBeInstanceOf(UnsupportedTypeError);
    expect(unsupported).toMatchObject({ detected: 'Windows executable', acceptedTypes: ['PDF', 'DOCX', 'HTML', 'Markdown', 'CSV', 'plain text'] });

    await expect(svc.extract(Buffer.alloc(0), {})).rejects.toMatchObject({ name: 'ExtractionError', code: 'empty' });
  });

  it('does not consume the caller\'s buffer', async () => {
    const bytes = Buffer.from('Some text that stays readable after extraction.');
    await service().extract(bytes, {});
    expect(bytes.toString()).toBe('Some text that stays readable after extraction.');
  });

  it('times out a big PDF under a 1 ms limit', async () => {
    const pdf = await makeLargePdf(50);
    await expect(service({ parseTimeoutMs: 1 }).extract(pdf, {})).rejects.toMatchObject({
      name: 'ExtractionError',
      code: 'timeout',
    });
  });

  it('fails a document that outgrows the worker heap cap as too_large, and replaces the worker', async () => {
    const svc = service({ workerMemoryMb: 32 });
    await expect(svc.extract(Buffer.from(largeHtml(20_000)), {})).rejects.toMatchObject({ code: 'too_large' });
    expect((await svc.extract(Buffer.from('still serving'), {})).text).toBe('still serving');
  });

  it('queues work beyond the pool size and completes all of it', async () => {
    const svc = service({ workers: 2 });
    const files = await Promise.all([1, 2, 3, 4, 5].map((n) => makePdf({ pages: [`Document number ${n}.`] })));
    const docs = await Promise.all(files.map((f) => svc.extract(f, {})));
    expect(docs.map((d) => d.text)).toEqual([1, 2, 3, 4, 5].map((n) => `Document number ${n}.`));
  });
});

describe('ExtractionModule', () => {
  it('provides the service with the limits given to forRoot and stops the pool on close', async () => {
    const app = await NestFactory.createApplicationContext(ExtractionModule.forRoot({ ...DEFAULT_EXTRACTION_LIMITS, maxBytes: 10 }), {
      logger: false,
    });
    const svc = app.get(ExtractionService);
    await expect(svc.extract(Buffer.from('more than ten bytes'), {})).rejects.toMatchObject({ code: 'too_large' });
    expect((await svc.extract(Buffer.from('ten bytes!'), {})).text).toBe('ten bytes!');
    await app.close();
    await expect(svc.extract(Buffer.from('late'), {})).rejects.toThrow('shut down');
  });

  it('takes its limits from a factory with forRootAsync', async () => {
    const app = await NestFactory.createApplicationContext(
      ExtractionModule.forRootAsync({ useFactory: () => Promise.resolve({ ...DEFAULT_EXTRACTION_LIMITS, maxTextChars: 5 }) }),
      { logger: false },
    );
    await expect(app.get(ExtractionService).extract(Buffer.from('six chars'), {})).rejects.toMatchObject({ code: 'too_large' });
    await app.close();
  });

  it('runs with the default limits when imported as is', async () => {
    const app = await NestFactory.createApplicationContext(ExtractionModule, { logger: false });
    const doc = await app.get(ExtractionService).extract(Buffer.from('# Hello\n\nWorld.\n'), { filename: 'a.md' });
    expect(doc).toMatchObject({ format: 'markdown', title: 'Hello' });
    await app.close();
  });
});

/** The pool's time limit and isolation, with a worker that gets stuck on demand instead of a slow real parse. */
describe('ExtractionPool with a stuck worker', () => {
  const workerFile = resolve(__dirname, '../support/workers/stuck-worker.mjs');
  const pools: ExtractionPool[] = [];
  const pool = (parseTimeoutMs: number): ExtractionPool => {
    const created = new ExtractionPool(resolveLimits({ ...DEFAULT_EXTRACTION_LIMITS, workers: 1, parseTimeoutMs }), { workerFile });
    pools.push(created);
    return created;
  };
  const task = (text: string): Omit<ExtractionTask, 'started'> => ({
    bytes: new Uint8Array(Buffer.from(text)),
    hints: {},
    limits: { maxBytes: 1024, maxTextChars: 1024, maxDocxUncompressedBytes: 1024 },
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.destroy()));
  });

  it('frees the caller of a worker stuck in synchronous code, then keeps serving with a fresh worker', async () => {
    const p = pool(200);
    await expect(p.run(task('stuck'))).rejects.toMatchObject({ name: 'ExtractionError', code: 'timeout' });
    await expect(p.run(task('after the timeout'))).resolves.toEqual({ ok: true, document: { text: 'after the timeout' } });
  });

  it('starts the limit when the worker begins the task, not while the task waits for a worker', async () => {
    const p = pool(200);
    const events: string[] = [];
    const first = p.run(task('stuck'), { onStart: () => events.push('first started') });
    const second = p.run(task('queued behind it'), { onStart: () => events.push('second started') });
    await expect(first).rejects.toMatchObject({ code: 'timeout' });
    // waited for the single worker longer than its own limit, and still ran
    await expect(second).resolves.toMatchObject({ ok: true, document: { text: 'queued behind it' } });
    expect(events).toEqual(['first started', 'second started']);
  });

  it("keeps the calling thread's event loop running while a worker is stuck", async () => {
    const p = pool(3_600_000);
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const outcome = p.run(task('stuck'), { onStart: started }).catch((e: unknown) => e);
    await running;
    // timers and I/O on this thread go on: the worker's loop blocks only its own thread
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 10));
    const health = await fetch('data:text/plain,alive').then((r) => r.text());
    expect(health).toBe('alive');
    await p.destroy();
    expect(await outcome).toBeInstanceOf(Error);
  });

  it('serves waiting tasks in turn across owners, then across each owner\'s groups', async () => {
    const p = pool(200);
    const order: string[] = [];
    const run = (text: string, owner: string, group: string): Promise<unknown> =>
      p.run(task(text), { owner, group, onStart: () => order.push(text) }).catch((e: unknown) => e);
    // the single worker is busy while the rest queue up
    const busy = run('stuck', 'tenant-a', 'first');
    const queued = [
      run('book p1', 'tenant-a', 'book'),
      run('book p2', 'tenant-a', 'book'),
      run('book p3', 'tenant-a', 'book'),
      run('memo', 'tenant-a', 'memo'),
      run('note', 'tenant-b', 'note'),
    ];
    await Promise.all([busy, ...queued]);
    expect(order).toEqual(['stuck', 'book p1', 'note', 'memo', 'book p2', 'book p3']);
  });

  it('drops a task whose signal aborts while it waits for a worker', async () => {
    const p = pool(200);
    const busy = p.run(task('stuck')).catch((e: unknown) => e);
    const controller = new AbortController();
    let started = false;
    const dropped = p.run(task('never run'), { signal: controller.signal, onStart: () => (started = true) });
    controller.abort(new Error('document cancelled'));
    await expect(dropped).rejects.toThrow('document cancelled');
    await busy;
    await expect(p.run(task('next'))).resolves.toMatchObject({ document: { text: 'next' } });
    expect(started).toBe(false);
  });
});
