import 'reflect-metadata';

import { NestFactory } from '@nestjs/core';

import { extractDocument } from '../../src/extraction/extract-document.js';
import { ExtractionError, UnsupportedTypeError } from '../../src/extraction/extraction-errors.js';
import { DEFAULT_EXTRACTION_LIMITS, type ExtractionLimits } from '../../src/extraction/extraction-limits.js';
import { ExtractionModule } from '../../src/extraction/extraction.module.js';
import { ExtractionService } from '../../src/extraction/extraction.service.js';
import { extractHtml } from '../../src/extraction/html-extractor.js';
import { resolveWorkerFile } from '../../src/extraction/worker-file.js';
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

/** Runs `work` while a 10 ms interval ticks; returns the longest gap between ticks. */
async function longestTickGap<T>(work: () => Promise<T>): Promise<{ result: T; longestGapMs: number; elapsedMs: number }> {
  let last = performance.now();
  let longestGapMs = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longestGapMs = Math.max(longestGapMs, now - last);
    last = now;
  }, 10);
  const started = performance.now();
  try {
    // Let the interval start before the work does.
    await new Promise((resolve) => setTimeout(resolve, 30));
    const result = await work();
    longestGapMs = Math.max(longestGapMs, performance.now() - last);
    return { result, longestGapMs, elapsedMs: performance.now() - started };
  } finally {
    clearInterval(timer);
  }
}

describe('ExtractionService (worker pool)', () => {
  it('loads the compiled worker from the build output when running from sources', () => {
    expect(resolveWorkerFile()).toMatch(/dist\/backend\/extraction\/extraction\.worker\.js$/);
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

  it('frees the caller of a worker stuck in synchronous parsing, then keeps serving', async () => {
    const svc = service({ parseTimeoutMs: 500 });
    // Warm the single worker so the limit measures parsing, not thread start-up.
    await svc.extract(Buffer.from('warm up'), {});
    const html = Buffer.from(largeHtml(20_000));
    const started = performance.now();
    await expect(svc.extract(html, { filename: 'big.html' })).rejects.toMatchObject({ code: 'timeout' });
    expect(performance.now() - started).toBeLessThan(2_000);

    // The terminated worker was replaced: the same one-worker pool still works. A text document,
    // as in the heap-cap test below: a PDF would make the fresh worker load pdf.js first, which on a
    // loaded 2-core machine alone can exceed this test's 0.5 s limit.
    const doc = await svc.extract(Buffer.from('After the timeout.'), {});
    expect(doc.text).toBe('After the timeout.');
  });

  it('fails a document that outgrows the worker heap cap as too_large, and replaces the worker', async () => {
    const svc = service({ workerMemoryMb: 32 });
    await expect(svc.extract(Buffer.from(largeHtml(20_000)), {})).rejects.toMatchObject({ code: 'too_large' });
    expect((await svc.extract(Buffer.from('still serving'), {})).text).toBe('still serving');
  });

  it('keeps the event loop responsive while a large document parses in a worker', async () => {
    const html = largeHtml(8_000);
    const svc = service();
    await svc.extract(Buffer.from('warm up'), {});

    const pooled = await longestTickGap(() => svc.extract(Buffer.from(html), { filename: 'big.html' }));
    expect(pooled.result.text).toContain('## Section 7999');
    expect(pooled.elapsedMs).toBeGreaterThan(300);
    expect(pooled.longestGapMs).toBeLessThan(250);

    // The control: the same parse on the calling thread blocks the loop for its whole duration.
    const inline = await longestTickGap(async () => extractHtml(html));
    expect(inline.longestGapMs).toBeGreaterThan(300);
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
