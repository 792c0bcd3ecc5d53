import { PDFParse } from 'pdf-parse';

import { ExtractionError } from './extraction-errors.js';
import { normalizeText } from './normalize-text.js';
import { textTooLarge } from './text-limit.js';

export interface PdfExtraction {
  /** Normalised, trimmed text of each page; index 0 is page 1. */
  pages: string[];
  title: string | null;
}

/**
 * Text of every page of a PDF, through pdf-parse (pdf.js). Page by page so the text limit stops a
 * huge document early; without `pageJoiner` pdf-parse would append "-- 1 of N --" markers.
 */
export async function extractPdf(bytes: Uint8Array, maxTextChars: number): Promise<PdfExtraction> {
  const parser = new PDFParse({
    // pdf.js takes ownership of (transfers) the array it is given; the caller keeps its own.
    data: new Uint8Array(bytes),
    // PDF functions may be compiled with eval by default; nothing here needs the speed.
    isEvalSupported: false,
    useSystemFonts: false,
    enableXfa: false,
  });
  try {
    const first = await readPage(parser, 1);
    const pages: string[] = [];
    let total = 0;
    for (let page = 1; page <= first.total; page++) {
      const result = page === 1 ? first : await readPage(parser, page);
      const text = normalizeText(result.pages[0]?.text ?? '').trim();
      total += text.length;
      if (total > maxTextChars) throw textTooLarge(maxTextChars);
      pages.push(text);
    }
    if (pages.length === 0) throw new ExtractionError('empty', 'The PDF has no pages.');
    if (pages.every((text) => text === '')) {
      throw new ExtractionError(
        'no_text_layer',
        'The PDF has no text layer: it looks like a scanned document or contains only images. Run it through OCR and upload the result.',
      );
    }
    return { pages, title: await readTitle(parser) };
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
