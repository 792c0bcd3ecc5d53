import mammoth from 'mammoth';

import { ExtractionError } from './extraction-errors.js';
import { parseHtmlDocument } from './html-dom.js';
import { normalizeText } from './normalize-text.js';
import { renderStructuredText } from './structured-text.js';
import { readZipDirectory, readZipEntry, ZipFormatError, type ZipEntry } from './zip-directory.js';
import { assertEntriesMatchDirectory, assertZipWithinLimits } from './zip-limits.js';

export interface DocxExtraction {
  text: string;
  title: string | null;
}

const corrupt = (): ExtractionError => new ExtractionError('corrupt', 'The DOCX file is damaged or incomplete and could not be read.');

/** Images are never read: only their alt text matters, and decoding them costs memory. */
const skipImages = mammoth.images.imgElement(() => Promise.resolve({ src: '' }));

/**
 * Text of a DOCX with its structure (headings, lists, tables) kept: mammoth turns the document
 * into semantic HTML, which is rendered like any HTML page. The zip directory is checked first,
 * and then every entry against it, so a zip bomb is refused before mammoth inflates anything.
 */
export async function extractDocx(bytes: Uint8Array, maxUncompressedBytes: number): Promise<DocxExtraction> {
  let entries: ZipEntry[];
  try {
    entries = readZipDirectory(bytes);
  } catch (error) {
    if (error instanceof ZipFormatError) throw corrupt();
    throw error;
  }
  assertZipWithinLimits(entries, maxUncompressedBytes);
  assertEntriesMatchDirectory(bytes, entries);

  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    html = (await mammoth.convertToHtml({ buffer }, { convertImage: skipImages, ignoreEmptyParagraphs: true })).value;
  } catch {
    throw corrupt();
  }
  const document = parseHtmlDocument(html);
  const root = document.body ?? document.documentElement;
  const text = root ? normalizeText(renderStructuredText(root)).trim() : '';
  return { text, title: coreTitle(bytes, entries) ?? firstHeading(text) };
}

/** `dc:title` from docProps/core.xml, the title Word shows in File > Properties. */
function coreTitle(bytes: Uint8Array, entries: readonly ZipEntry[]): string | null {
  const entry = entries.find((e) => e.name === 'docProps/core.xml');
  const xml = entry ? readZipEntry(bytes, entry, 1024 * 1024)?.toString('utf8') : undefined;
  const raw = xml ? /<dc:title>([\s\S]*?)<\/dc:title>/.exec(xml)?.[1] : undefined;
  const title = raw ? normalizeText(decodeXmlEntities(raw)).replace(/\s+/g, ' ').trim() : '';
  return title || null;
}

function firstHeading(text: string): string | null {
  return /^#{1,6} (.+)$/m.exec(text)?.[1]?.trim() || null;
}

function decodeXmlEntities(text: string): string {
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (whole, entity: string) => {
    if (entity.startsWith('#')) {
      const code = entity[1] === 'x' || entity[1] === 'X' ? Number.parseInt(entity.slice(2), 16) : Number.parseInt(entity.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return named[entity.toLowerCase()] ?? whole;
  });
}
