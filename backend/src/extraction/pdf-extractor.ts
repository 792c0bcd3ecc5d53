import { PDFParse } from 'pdf-parse';

import { ExtractionError } from './extraction-errors.js';
import { DEFAULT_EXTRACTION_LIMITS } from './extraction-limits.js';
import { normalizeText } from './normalize-text.js';
import type { PageSpan } from './page-ranges.js';
import { assertPdfStreamsWithinLimits } from './pdf-stream-limits.js';
import { textTooLarge } from './text-limit.js';

export interface PdfExtraction {
  /** Normalised, trimmed text of each page read; index 0 is page `firstPage`. */
  pages: string[];
  /** The first page read (1-based). */
  firstPage: number;
  /** Pages in the whole document. */
  pageCount: number;
  /** Read only with the first page. */
  title: string | null;
}

export interface PdfLimits {
  maxTextChars: number;
  /** What its streams may decode to in all (see assertPdfStreamsWithinLimits). */
  maxUncompressedBytes?: number;
}

/**
 * Text of the pages of a PDF (all, or a span of them), through pdf-parse (pdf.js). Page by page
 * so the text limit stops a huge document early; without `pageJoiner` pdf-parse would append
 * "-- 1 of N --" markers. A span lets several workers read one big PDF in parallel.
 */
export async function extractPdf(bytes: Uint8Array, limits: PdfLimits, span?: PageSpan): Promise<PdfExtraction> {
  const { maxTextChars } = limits;
  // once per document: its first (or only) part is read before the others are queued
  if ((span?.first ?? 1) === 1) {
    await assertPdfStreamsWithinLimits(bytes, limits.maxUncompressedBytes ?? DEFAULT_EXTRACTION_LIMITS.maxPdfUncompressedBytes);
  }
  const parser = new PDFParse({
    // pdf.js takes ownership of (transfers) the array it is given; the caller keeps its own.
    data: new Uint8Array(bytes),
    // PDF functions may be compiled with eval by default; nothing here needs the speed.
    isEvalSupported: false,
    useSystemFonts: false,
    enableXfa: false,
  });
  try {
    const firstPage = Math.max(1, span?.first ?? 1);
    const first = await readPage(parser, firstPage);
    const pageCount = first.total;
    if (pageCount === 0) throw new ExtractionError('empty', 'The PDF has no pages.');
    const lastPage = Math.min(pageCount, span?.last ?? pageCount);
    const pages: string[] = [];
    let total = 0;
    for (let page = firstPage; page <= lastPage; page++) {
      const result = page === firstPage ? first : await readPage(parser, page);
      const text = normalizeText(result.pages[0]?.text ?? '').trim();
      total += text.length;
      if (total > maxTextChars) throw textTooLarge(maxTextChars);
      pages.push(text);
    }
    return { pages, firstPage, pageCount, title: firstPage === 1 ? await readTitle(parser) : null };
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

async function readPage(parser: PDFParse, page: number): Promise<Awaited<ReturnType<PDFParse['getText']>>> {
  try {
    return await parser.getText({ partial: [page], pageJoiner: '' });
  } catch (error) {
    throw toExtractionError(error);
  }
}

function toExtractionError(error: unknown): ExtractionError {
  if (error instanceof ExtractionError) return error;
  if (error instanceof Error && error.name === 'PasswordException') {
    return new ExtractionError('encrypted', 'The PDF is password-protected. Remove the password and upload it again.');
  }
  return new ExtractionError('corrupt', 'The PDF is damaged or incomplete and could not be read.');
}

/** The Info dictionary's title; a nicety, so a damaged outline or metadata stream does not fail the document. */
async function readTitle(parser: PDFParse): Promise<string | null> {
  let raw: unknown;
  try {
    raw = ((await parser.getInfo()).info as { Title?: unknown } | undefined)?.Title;
  } catch {
    return null;
  }
  if (typeof raw !== 'string') return null;
  const title = normalizeText(raw).replace(/\s+/g, ' ').trim();
  return title || null;
}
