/** One stream object of a PDF, as found in its bytes. */
export interface PdfStream {
  /** The decoding filters, in order, without the slash: `FlateDecode`, `LZWDecode`, … */
  filters: string[];
  /** `/Subtype /Image`: pdf.js decodes such a stream to draw it, never to read text. */
  image: boolean;
  /** LZWDecode's `/EarlyChange` (1 unless the dictionary says 0). */
  earlyChange: number;
  /** The raw (still encoded) data. */
  data: Uint8Array;
}

const STREAM = Buffer.from('stream', 'latin1');
const ENDSTREAM = Buffer.from('endstream', 'latin1');
/** How far back from a `stream` keyword its dictionary is looked for. */
const DICTIONARY_WINDOW = 64 * 1024;

// PDF whitespace and delimiters: a keyword is preceded by one of these (or starts the file)
const isDelimiter = (byte: number | undefined): boolean =>
  byte === undefined || byte <= 0x20 || byte === 0x3e /* > */ || byte === 0x5d /* ] */ || byte === 0x29 /* ) */ || byte === 0x7d; /* } */

const FILTER_ABBREVIATIONS: Record<string, string> = {
  Fl: 'FlateDecode',
  LZW: 'LZWDecode',
  RL: 'RunLengthDecode',
  AHx: 'ASCIIHexDecode',
  A85: 'ASCII85Decode',
  DCT: 'DCTDecode',
  CCF: 'CCITTFaxDecode',
};

/**
 * Every stream in a PDF's bytes, found the way pdf.js reads one: the `stream` keyword, the data
 * from the line after it, `/Length` bytes long when the dictionary gives a length that ends at
 * `endstream` (resolving an indirect length), else up to the next `endstream`. Every occurrence
 * of the keyword is looked at, even inside another stream's data, so that no stream reachable
 * through the cross-reference table can hide from the caller; a false match costs nothing but a
 * look. Streams of an encrypted PDF are found but their data stays encrypted.
 */
export function* pdfStreams(bytes: Uint8Array): Generator<PdfStream> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lengths = new IndirectIntegers(buffer);
  for (let at = buffer.indexOf(STREAM); at !== -1; at = buffer.indexOf(STREAM, at + STREAM.length)) {
    if (!isDelimiter(buffer[at - 1])) continue; // `endstream`, or a word in a text
    const start = dataStart(buffer, at + STREAM.length);
    if (start === null) continue;
    const dictionary = dictionaryBefore(buffer, at);
    const end = dataEnd(buffer, start, declaredLength(dictionary, lengths));
    yield {
      filters: filtersOf(dictionary),
      image: /\/Subtype\s*\/Image\b/.test(dictionary),
      earlyChange: /\/EarlyChange\s+0\b/.test(dictionary) ? 0 : 1,
      data: buffer.subarray(start, end),
    };
  }
}

/** After the keyword, the rest of its line is skipped (pdf.js does the same). */
function dataStart(buffer: Buffer, from: number): number | null {
  const newline = buffer.indexOf(0x0a, from);
  const carriage = buffer.indexOf(0x0d, from);
  if (newline === -1 && carriage === -1) return null;
  if (carriage !== -1 && (newline === -1 || carriage < newline)) return buffer[carriage + 1] === 0x0a ? carriage + 2 : carriage + 1;
  return newline + 1;
}

function dataEnd(buffer: Buffer, start: number, length: number | null): number {
  if (length !== null && start + length <= buffer.length && endstreamFollows(buffer, start + length)) return start + length;
  const end = buffer.indexOf(ENDSTREAM, start);
  return end === -1 ? buffer.length : end;
}

function endstreamFollows(buffer: Buffer, at: number): boolean {
  let i = at;
  while (i < buffer.length && i < at + 4 && (buffer[i] ?? 0) <= 0x20) i++;
  return buffer.subarray(i, i + ENDSTREAM.length).equals(ENDSTREAM);
}

/** The text between the object's `obj` keyword (or the end of the last stream) and `stream`. */
function dictionaryBefore(buffer: Buffer, at: number): string {
  const from = Math.max(0, at - DICTIONARY_WINDOW);
  const window = buffer.toString('latin1', from, at);
  const lastStream = window.lastIndexOf('endstream');
  const objectStart = Math.max(window.lastIndexOf('obj'), lastStream === -1 ? -1 : lastStream + 'endstream'.length);
  return objectStart === -1 ? window : window.slice(objectStart);
}

function declaredLength(dictionary: string, lengths: IndirectIntegers): number | null {
  const match = /\/Length\s+(\d+)(?:\s+(\d+)\s+R)?/.exec(dictionary);
  if (!match?.[1]) return null;
  return match[2] === undefined ? Number(match[1]) : lengths.get(Number(match[1]), Number(match[2]));
}

function filtersOf(dictionary: string): string[] {
  const match = /\/Filter\s*(\[[^\]]*\]|\/[^\s/[\]<>()]+)/.exec(dictionary);
  if (!match?.[1]) return [];
  return [...match[1].matchAll(/\/([^\s/[\]<>()]+)/g)].map((m) => FILTER_ABBREVIATIONS[m[1] ?? ''] ?? m[1] ?? '');
}

/** Objects of the form `N G obj <integer> endobj`, looked up when a stream's length is indirect. */
class IndirectIntegers {
  private values: Map<string, number> | null = null;

  constructor(private readonly buffer: Buffer) {}

  get(objectNumber: number, generation: number): number | null {
    if (!this.values) {
      this.values = new Map();
      const text = this.buffer.toString('latin1');
      for (const match of text.matchAll(/(\d+)\s+(\d+)\s+obj\s*(\d+)\s*endobj/g)) this.values.set(`${match[1]} ${match[2]}`, Number(match[3]));
    }
    return this.values.get(`${objectNumber} ${generation}`) ?? null;
  }
}
