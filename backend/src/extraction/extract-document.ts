import { canonicalMimeType } from './accepted-types.js';
import { decodeText, type DecodedText } from './decode-text.js';
import type { ExtractedDocument, SourceFormat } from './extracted-document.js';
import { ExtractionError, noTextLayer, UnsupportedTypeError } from './extraction-errors.js';
import { declaredCharset, detectFormat, type FormatHints } from './extraction-format.js';
import type { ExtractionLimits } from './extraction-limits.js';
import { formatBytes } from './format-bytes.js';
import { joinPages, type PageSpan } from './page-ranges.js';
import { textTooLarge } from './text-limit.js';

/**
 * The whole extraction of one file, in the calling thread: detect the format from the content,
 * parse, normalise, check the limits. The service runs it in a worker; tests may call it directly.
 * Parsers are imported on first use, so a fresh worker handling a text file never loads pdf.js.
 */
export async function extractDocument(
  bytes: Uint8Array,
  hints: FormatHints,
  limits: Pick<ExtractionLimits, 'maxBytes' | 'maxTextChars' | 'maxDocxUncompressedBytes' | 'maxPdfUncompressedBytes'>,
  span?: PageSpan,
): Promise<ExtractedDocument> {
  assertInputSize(bytes, limits);
  const detected = detectFormat(bytes, hints);
  if (!detected.ok) throw new UnsupportedTypeError(detected.detected);
  const { format } = detected;
  const decoded = format === 'pdf' || format === 'docx' ? null : decodeText(bytes, declaredCharset(bytes, hints, format));
  const document = await extractFormat(format, bytes, decoded, limits, span);
  // a span of a PDF may be blank (a few scanned pages): only the whole document must have text
  if (span !== undefined && format === 'pdf') return document;
  if (document.text.trim() === '') throw format === 'pdf' ? noTextLayer() : emptyDocument();
  if (document.text.length > limits.maxTextChars) throw textTooLarge(limits.maxTextChars);
  return document;
}

/** Refuses an empty or oversized input before any parsing. */
export function assertInputSize(bytes: Uint8Array, limits: Pick<ExtractionLimits, 'maxBytes'>): void {
  if (bytes.byteLength === 0) throw emptyDocument();
  if (bytes.byteLength > limits.maxBytes) {
    throw new ExtractionError('too_large', `The file is ${formatBytes(bytes.byteLength)}, more than the ${formatBytes(limits.maxBytes)} limit.`);
  }
}

async function extractFormat(
  format: SourceFormat,
  bytes: Uint8Array,
  decoded: DecodedText | null,
  limits: Pick<ExtractionLimits, 'maxTextChars' | 'maxDocxUncompressedBytes' | 'maxPdfUncompressedBytes'>,
  span: PageSpan | undefined,
): Promise<ExtractedDocument> {
  const text = decoded?.text ?? '';
  const plain = (as: SourceFormat, body: string, title: string | null = null): ExtractedDocument => ({
    format: as,
    mimeType: canonicalMimeType(as),
    text: body,
    title,
    pages: [],
    pageCount: null,
    ...(decoded ? { encoding: decoded.encoding } : {}),
  });
  switch (format) {
    case 'pdf': {
      const { extractPdf } = await import('./pdf-extractor.js');
      const pdf = await extractPdf(bytes, { maxTextChars: limits.maxTextChars, maxUncompressedBytes: limits.maxPdfUncompressedBytes }, span);
      const joined = joinPages(pdf.pages, pdf.firstPage);
      return { ...plain('pdf', joined.text, pdf.title), pages: joined.ranges, pageCount: pdf.pageCount };
    }
    case 'docx': {
      const { extractDocx } = await import('./docx-extractor.js');
      const docx = await extractDocx(bytes, limits.maxDocxUncompressedBytes);
      return plain('docx', docx.text, docx.title);
    }
    case 'html': {
      const { extractHtml } = await import('./html-extractor.js');
      const html = extractHtml(text);
      return plain('html', html.text, html.title);
    }
    case 'csv': {
      const { extractCsv } = await import('./csv-extractor.js');
      const csv = extractCsv(text, limits.maxTextChars);
      return csv.parsed ? plain('csv', csv.text) : plain('text', csv.text);
    }
    case 'markdown':
      return plain('markdown', text, markdownTitle(text));
    case 'text':
      return plain('text', text);
  }
}

const emptyDocument = (): ExtractionError => new ExtractionError('empty', 'The file contains no extractable text.');

/** The first level-1 ATX heading near the top, which is how Markdown documents name themselves. */
function markdownTitle(text: string): string | null {
  return /^# +(.+?)\s*#*\s*$/m.exec(text.slice(0, 4096))?.[1]?.trim() || null;
}
