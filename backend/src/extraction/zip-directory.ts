import { inflateRawSync } from 'node:zlib';

/** One file of a zip archive as its central directory declares it. */
export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

/** The archive has no readable central directory: truncated, or not a zip. */
export class ZipFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ZipFormatError';
  }
}

const EOCD_SIGNATURE = 0x06054b50;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_EOCD_SIGNATURE = 0x06064b50;
const CENTRAL_HEADER_SIGNATURE = 0x02014b50;
const LOCAL_HEADER_SIGNATURE = 0x04034b50;
const ZIP64_EXTRA_ID = 0x0001;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const U16_MAX = 0xffff;
const U32_MAX = 0xffffffff;

/**
 * Reads the central directory from the end of the buffer without decompressing anything, so the
 * declared sizes can be checked before a zip library inflates the entries. Handles zip64.
 */
export function readZipDirectory(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const eocd = findEocd(view);
  if (eocd < 0) throw new ZipFormatError('end of central directory not found');

  let count = view.getUint16(eocd + 10, true);
  let size = view.getUint32(eocd + 12, true);
  let offset = view.getUint32(eocd + 16, true);
  if (count === U16_MAX || size === U32_MAX || offset === U32_MAX) {
    const locator = eocd - 20;
    if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR_SIGNATURE) throw new ZipFormatError('zip64 locator missing');
    const zip64 = toSafeNumber(view.getBigUint64(locator + 8, true));
    if (zip64 + 56 > view.byteLength || view.getUint32(zip64, true) !== ZIP64_EOCD_SIGNATURE) throw new ZipFormatError('zip64 record missing');
    count = toSafeNumber(view.getBigUint64(zip64 + 32, true));
    size = toSafeNumber(view.getBigUint64(zip64 + 40, true));
    offset = toSafeNumber(view.getBigUint64(zip64 + 48, true));
  }
  if (offset + size > view.byteLength) throw new ZipFormatError('central directory outside the file');

  const entries: ZipEntry[] = [];
  let at = offset;
  // 46 bytes is the smallest central header, which bounds the loop however large `count` claims to be.
  while (entries.length < count && at + 46 <= offset + size) {
    if (view.getUint32(at, true) !== CENTRAL_HEADER_SIGNATURE) throw new ZipFormatError('bad central directory entry');
    const flags = view.getUint16(at + 8, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    const end = at + 46 + nameLength + extraLength + commentLength;
    if (end > offset + size) throw new ZipFormatError('central directory entry overruns the directory');
    const entry: ZipEntry = {
      name: decodeName(bytes.subarray(at + 46, at + 46 + nameLength), (flags & 0x0800) !== 0),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    };
    applyZip64Extra(view, at + 46 + nameLength, extraLength, entry);
    entries.push(entry);
    at = end;
  }
  if (entries.length < count) throw new ZipFormatError('central directory is shorter than declared');
  return entries;
}

/**
 * Names of the entries whose local headers can still be found, for an archive whose central
 * directory is gone (a truncated upload): enough to tell a damaged DOCX from another zip.
 */
export function salvageEntryNames(bytes: Uint8Array, max = 1000): string[] {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const signature = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
  const names: string[] = [];
  for (let at = buffer.indexOf(signature); at >= 0 && at + 30 <= buffer.length && names.length < max; at = buffer.indexOf(signature, at + 4)) {
    const nameLength = buffer.readUInt16LE(at + 26);
    if (at + 30 + nameLength > buffer.length) break;
    names.push(decodeName(buffer.subarray(at + 30, at + 30 + nameLength), (buffer.readUInt16LE(at + 6) & 0x0800) !== 0));
  }
  return names;
}

/** An entry's stored bytes (compressed, as in the archive), or null when its local header is missing. */
export function rawEntryData(bytes: Uint8Array, entry: ZipEntry): Buffer | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > view.byteLength || view.getUint32(at, true) !== LOCAL_HEADER_SIGNATURE) return null;
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
  if (start > view.byteLength) return null;
  return Buffer.from(bytes.buffer, bytes.byteOffset + start, Math.min(entry.compressedSize, view.byteLength - start));
}

/** The bytes of a small entry (stored or deflated), at most `maxBytes` of output; null when unreadable. */
export function readZipEntry(bytes: Uint8Array, entry: ZipEntry, maxBytes: number): Buffer | null {
  const data = rawEntryData(bytes, entry);
  if (!data) return null;
  try {
    if (entry.method === 0) return data.subarray(0, maxBytes);
    if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: maxBytes });
  } catch {
    return null;
  }
  return null;
}

function findEocd(view: DataView): number {
  const last = view.byteLength - EOCD_SIZE;
  for (let at = last; at >= 0 && at >= last - MAX_COMMENT; at--) {
    if (view.getUint32(at, true) === EOCD_SIGNATURE && at + EOCD_SIZE + view.getUint16(at + 20, true) <= view.byteLength) return at;
  }
  return -1;
}

/** Zip64 entries keep the real sizes in an extra field, in this order, for each header field that says 0xFFFFFFFF. */
function applyZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
  const needs = [entry.uncompressedSize === U32_MAX, entry.compressedSize === U32_MAX, entry.localHeaderOffset === U32_MAX];
  if (!needs.some(Boolean)) return;
  for (let at = start; at + 4 <= start + length; ) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === ZIP64_EXTRA_ID) {
      let field = at + 4;
      const next = (): number => {
        if (field + 8 > at + 4 + size) throw new ZipFormatError('zip64 extra field too short');
        const value = toSafeNumber(view.getBigUint64(field, true));
        field += 8;
        return value;
      };
      if (needs[0]) entry.uncompressedSize = next();
      if (needs[1]) entry.compressedSize = next();
      if (needs[2]) entry.localHeaderOffset = next();
      return;
    }
    at += 4 + size;
  }
  throw new ZipFormatError('zip64 sizes missing');
}

/** Past 2^53 the exact value no longer matters: it is far over any limit. */
function toSafeNumber(value: bigint): number {
  return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
}

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  return Buffer.from(bytes).toString(utf8 ? 'utf8' : 'latin1');
}
