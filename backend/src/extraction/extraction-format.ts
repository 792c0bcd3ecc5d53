import { ACCEPTED_TYPES, canonicalMimeType } from './accepted-types.js';
import { matchBinarySignature } from './binary-signatures.js';
import { classifyText, type TextFormat } from './classify-text.js';
import { decodeTextSample } from './decode-text.js';
import type { SourceFormat } from './extracted-document.js';
import { UnsupportedTypeError } from './extraction-errors.js';
import { readZipDirectory, salvageEntryNames, ZipFormatError } from './zip-directory.js';

export { ACCEPTED_TYPES, type AcceptedType } from './accepted-types.js';

/** What the client said about the file. Only a tie-breaker between text formats. */
export interface FormatHints {
  filename?: string;
  mimeType?: string;
}

export type FormatDetection =
  | { ok: true; format: SourceFormat; mimeType: string }
  /** `detected` names what the bytes look like, e.g. "Windows executable", for the 415 message. */
  | { ok: false; detected: string };

/**
 * Decides the format from the content: magic bytes first (PDF, zip → DOCX or not, known binary
 * formats), then whether the start of the file decodes as text, then the text's structure.
 * Reads at most the first 64 KB plus a zip's directory, so the API can call it on upload.
 */
export function detectFormat(bytes: Uint8Array, hints: FormatHints = {}): FormatDetection {
  try {
    return { ok: true, ...sniffFormat(bytes, hints) };
  } catch (error) {
    if (error instanceof UnsupportedTypeError) return { ok: false, detected: error.detected };
    throw error;
  }
}

/**
 * The charset to decode a text format with when the bytes are neither UTF-8 nor BOM-marked: the
 * one the client declared (`text/html; charset=...`), else for HTML the page's own `<meta charset>`.
 */
export function declaredCharset(bytes: Uint8Array, hints: FormatHints, format: SourceFormat): string | undefined {
  const declared = /;\s*charset\s*=\s*"?([\w.:-]+)"?/i.exec(hints.mimeType ?? '')?.[1];
  if (declared || format !== 'html') return declared;
  // <meta> is ASCII, so it reads the same in any ASCII-compatible encoding.
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 4096)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w.:-]+)/i.exec(head)?.[1];
}

function sniffFormat(bytes: Uint8Array, hints: FormatHints): { format: SourceFormat; mimeType: string } {
  const detected = (format: SourceFormat): { format: SourceFormat; mimeType: string } => ({ format, mimeType: canonicalMimeType(format) });
  if (isPdf(bytes)) return detected('pdf');
  if (isZip(bytes)) {
    const kind = classifyZip(bytes);
    if (kind !== 'docx') throw new UnsupportedTypeError(kind);
    return detected('docx');
  }
  const binary = matchBinarySignature(bytes);
  if (binary) throw new UnsupportedTypeError(binary);

  const sample = decodeTextSample(bytes, declaredCharset(bytes, hints, 'text'));
  return detected(classifyText(sample.text, textHint(hints)));
}

/**
 * `%PDF-` normally opens the file, but readers accept it anywhere in the first KB (some
 * generators prepend junk); there it must come with a trailer so prose that quotes it is not taken for a PDF.
 */
function isPdf(bytes: Uint8Array): boolean {
  const head = Buffer.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.byteLength, 1024));
  const at = head.indexOf('%PDF-');
  if (at === 0) return true;
  if (at < 0) return false;
  const tailLength = Math.min(bytes.byteLength, 1024);
  return Buffer.from(bytes.buffer, bytes.byteOffset + bytes.byteLength - tailLength, tailLength).includes('%%EOF');
}

function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

/** 'docx', or a name for the kind of zip it is. */
function classifyZip(bytes: Uint8Array): string {
  let names: string[];
  try {
    names = readZipDirectory(bytes).map((e) => e.name);
  } catch (error) {
    if (!(error instanceof ZipFormatError)) throw error;
    // A truncated DOCX still starts with its parts' local headers: report it as a damaged DOCX, not as "a zip".
    names = salvageEntryNames(bytes);
  }
  const has = (name: string): boolean => names.includes(name);
  if (has('word/document.xml')) return 'docx';
  if (has('xl/workbook.xml')) return 'Excel workbook (XLSX)';
  if (has('ppt/presentation.xml')) return 'PowerPoint presentation (PPTX)';
  if (has('META-INF/container.xml')) return 'EPUB e-book';
  if (has('mimetype') && has('content.xml')) return 'OpenDocument file';
  if (has('AndroidManifest.xml')) return 'Android package (APK)';
  if (has('META-INF/MANIFEST.MF')) return 'Java archive (JAR)';
  return 'ZIP archive';
}

/** The text format the client claims, from the MIME type or the extension. */
function textHint(hints: FormatHints): TextFormat | null {
  const mime = hints.mimeType?.split(';')[0]?.trim().toLowerCase();
  const extension = /\.[^./\\]+$/.exec(hints.filename?.toLowerCase() ?? '')?.[0];
  const byMime = ACCEPTED_TYPES.find((t) => mime && t.mimeTypes.includes(mime))?.format;
  const byExtension = ACCEPTED_TYPES.find((t) => extension && t.extensions.includes(extension))?.format;
  // `text/plain` is what many clients send for any text file, so a telling extension beats it.
  const format = (byMime !== 'text' ? byMime : undefined) ?? byExtension ?? byMime;
  return format === 'html' || format === 'markdown' || format === 'csv' || format === 'text' ? format : null;
}
