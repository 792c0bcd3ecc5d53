import { extractDocument } from '../../src/extraction/extract-document.js';
import type { ChunkedText } from '../../src/extraction/chunked-text.js';
import { DEFAULT_EXTRACTION_LIMITS } from '../../src/extraction/extraction-limits.js';
import { ExtractionService, PDF_SPAN_PAGES } from '../../src/extraction/extraction.service.js';
import { makeImageOnlyPdf, makePdf } from '../support/fixtures/pdf-fixtures.js';
import { sampleMarkdown } from '../support/sample-text.js';

const CHUNKING = { chunkTokens: 64, overlapTokens: 8 };
const LIMITS = { maxBytes: DEFAULT_EXTRACTION_LIMITS.maxBytes, maxTextChars: DEFAULT_EXTRACTION_LIMITS.maxTextChars, maxDocxUncompressedBytes: DEFAULT_EXTRACTION_LIMITS.maxDocxUncompressedBytes };

/** Extraction in parts: a big PDF read in page spans by several workers, handed over in document order. */
describe('ExtractionService.extractInParts', () => {
  const service = new ExtractionService({ ...DEFAULT_EXTRACTION_LIMITS, workers: 2 });
  afterAll(() => service.onModuleDestroy());

  const collect = async (bytes: Buffer, hints = {}): Promise<{ parts: ChunkedText[]; progress: number[]; summary: Awaited<ReturnType<ExtractionService['extractInParts']>> }> => {
    const parts: ChunkedText[] = [];
    const progress: number[] = [];
    const summary = await service.extractInParts(bytes, hints, CHUNKING, {
      owner: 'tenant',
      group: 'doc',
      onPart: (chunks, share) => {
        parts.push(chunks);
        progress.push(share);
        return Promise.resolve();
      },
    });
    return { parts, progress, summary };
  };

  it('reads a PDF of more than one span in parts whose chunks sit exactly where the whole text has them', async () => {
    const pageCount = 2 * PDF_SPAN_PAGES + 5;
    // some pages blank, as scanned inserts are: they get no text and no separator
    const pages = Array.from({ length: pageCount }, (_, i) => (i % 17 === 5 ? '' : `Page ${i + 1}. ${sampleMarkdown(i, 1, 1).replace(/^# .*\n\n/, '')}`));
    const pdf = await makePdf({ pages, title: 'Long report' });
    const { parts, progress, summary } = await collect(pdf, { filename: 'report.pdf' });
    expect(parts).toHaveLength(3);
    expect(progress).toEqual([1 / 3, 2 / 3, 1]);
    expect(summary.document).toMatchObject({ format: 'pdf', pageCount, title: 'Long report' });

    const whole = await extractDocument(pdf, {}, LIMITS);
    expect(summary.textLength).toBe(whole.text.length);
    const chunks = parts.flat();
    expect(summary.chunkCount).toBe(chunks.length);
    expect(chunks.map((c) => c.position)).toEqual(chunks.map((_, i) => i));
    for (const chunk of chunks) {
      expect(whole.text.slice(chunk.charStart, chunk.charEnd)).toBe(chunk.text);
      const page = whole.pages.find((p) => p.start <= chunk.charStart && chunk.charStart < p.end);
      expect(chunk.pageNumber).toBe(page?.page);
    }
    // every page's text is in some chunk
    for (const page of whole.pages) expect(chunks.some((c) => c.charStart <= page.start && page.start < c.charEnd)).toBe(true);
  });

  it('hands over a short PDF, and any other document, as one part', async () => {
    const short = await collect(await makePdf({ pages: ['One.', 'Two.'] }));
    expect(short.parts).toHaveLength(1);
    expect(short.summary.document.pageCount).toBe(2);
    const text = await collect(Buffer.from(sampleMarkdown(3, 4, 3)), { filename: 'notes.md' });
    expect(text.parts).toHaveLength(1);
    expect(text.summary.document.format).toBe('markdown');
    expect(text.parts[0]?.length).toBe(text.summary.chunkCount);
  });

  it('refuses a PDF without a text layer once every part is read', async () => {
    await expect(collect(await makeImageOnlyPdf(3))).rejects.toMatchObject({ code: 'no_text_layer' });
  });

  it('stops at the text limit counted over the whole document', async () => {
    const small = new ExtractionService({ ...DEFAULT_EXTRACTION_LIMITS, workers: 2, maxTextChars: 2_000 });
    try {
      const pdf = await makePdf({ pages: Array.from({ length: PDF_SPAN_PAGES + 10 }, (_, i) => `Page ${i + 1}: ${'text '.repeat(20)}`) });
      const handed: number[] = [];
      await expect(
        small.extractInParts(pdf, {}, CHUNKING, { owner: 't', group: 'd', onPart: (chunks) => Promise.resolve(void handed.push(chunks.length)) }),
      ).rejects.toMatchObject({ code: 'too_large' });
    } finally {
      await small.onModuleDestroy();
    }
  });
});
