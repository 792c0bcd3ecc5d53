import { constants, createInflate, inflateSync } from 'node:zlib';

import type { PdfStream } from './pdf-streams.js';

/** Filters pdf.js applies only to draw an image, or cannot apply without a key: their input is what gets held. */
const OPAQUE = new Set(['DCTDecode', 'JPXDecode', 'CCITTFaxDecode', 'JBIG2Decode', 'Crypt']);

/** A decoder: the size of what `data` decodes to, with the bytes when `keep` (for the next filter). */
type Decoder = (data: Uint8Array, limit: number, keep: boolean, stream: PdfStream) => Promise<Decoded> | Decoded;

interface Decoded {
  /** Bytes decoded; past `limit` decoding stops and this is `limit + 1`. */
  size: number;
  bytes?: Uint8Array;
}

/**
 * How many bytes a stream decodes to through its filter chain, the way pdf.js would hold them;
 * decoding stops once it passes `limit` (the answer is then `limit + 1`). Only the last filter's
 * output is counted without being kept. An unknown or image-only filter ends the chain with the
 * bytes it would be given.
 */
export async function decodedSize(stream: PdfStream, limit: number): Promise<number> {
  let data = stream.data;
  for (const [index, filter] of stream.filters.entries()) {
    const decoder = DECODERS[filter];
    if (!decoder || OPAQUE.has(filter)) return data.length;
    const next = stream.filters[index + 1];
    const keep = next !== undefined && DECODERS[next] !== undefined;
    const decoded = await decoder(data, limit, keep, stream);
    if (decoded.size > limit || !decoded.bytes) return decoded.size;
    data = decoded.bytes;
  }
  return data.length;
}

const over = (limit: number): Decoded => ({ size: limit + 1 });

/** zlib, counted in a stream of its own (nothing but a chunk is held), or kept up to `limit`. */
function flate(data: Uint8Array, limit: number, keep: boolean): Promise<Decoded> | Decoded {
  if (keep) {
    try {
      const bytes = inflateSync(data, { maxOutputLength: Math.max(1, limit + 1), finishFlush: constants.Z_SYNC_FLUSH });
      return bytes.length > limit ? over(limit) : { size: bytes.length, bytes };
    } catch (error) {
      return (error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE' ? over(limit) : { size: 0, bytes: new Uint8Array(0) };
    }
  }
  return new Promise((resolve) => {
    // like pdf.js, whatever decodes before damaged or truncated data counts
    const inflate = createInflate({ chunkSize: 256 * 1024, finishFlush: constants.Z_SYNC_FLUSH });
    let size = 0;
    inflate.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        inflate.destroy();
        resolve(over(limit));
      }
    });
    inflate.on('end', () => resolve({ size }));
    inflate.on('error', () => resolve({ size: Math.min(size, limit + 1) }));
    inflate.on('close', () => resolve({ size: Math.min(size, limit + 1) }));
    inflate.end(data);
  });
}

/**
 * LZW as PDF uses it (9 to 12 bit codes, most significant bit first, 256 clears, 257 ends). The
 * table keeps each code's length and, only when the bytes are kept, its prefix and last byte.
 */
function lzw(data: Uint8Array, limit: number, keep: boolean, stream: PdfStream): Decoded {
  const prefix = new Int32Array(4096);
  const suffix = new Uint8Array(4096);
  const length = new Int32Array(4096);
  for (let code = 0; code < 256; code++) {
    suffix[code] = code;
    length[code] = 1;
    prefix[code] = -1;
  }
  const out: Uint8Array[] = [];
  let size = 0;
  let next = 258;
  let width = 9;
  let previous = -1;
  let bits = 0;
  let bitCount = 0;
  const firstByte = (code: number): number => {
    let c = code;
    while ((prefix[c] ?? -1) >= 0) c = prefix[c] ?? -1;
    return suffix[c] ?? 0;
  };
  const emit = (code: number): void => {
    const n = length[code] ?? 0;
    size += n;
    if (!keep || size > limit) return;
    const bytes = new Uint8Array(n);
    for (let c = code, i = n - 1; i >= 0; i--, c = prefix[c] ?? 0) bytes[i] = suffix[c] ?? 0;
    out.push(bytes);
  };
  for (const byte of data) {
    bits = ((bits << 8) | byte) & 0xffffff;
    bitCount += 8;
    while (bitCount >= width) {
      const code = (bits >> (bitCount - width)) & ((1 << width) - 1);
      bitCount -= width;
      if (code === 256) {
        next = 258;
        width = 9;
        previous = -1;
        continue;
      }
      if (code === 257) return finish();
      if (previous === -1) {
        if (code > 255) return finish(); // damaged: pdf.js stops there too
        emit(code);
      } else {
        const known = code < next;
        if (!known && code !== next) return finish();
        if (next < 4096) {
          prefix[next] = previous;
          suffix[next] = known ? firstByte(code) : firstByte(previous);
          length[next] = (length[previous] ?? 0) + 1;
          next++;
        }
        emit(code);
      }
      if (size > limit) return over(limit);
      previous = code;
      if (next + stream.earlyChange >= 1 << width && width < 12) width++;
    }
  }
  return finish();

  function finish(): Decoded {
    if (size > limit) return over(limit);
    return keep ? { size, bytes: Buffer.concat(out, size) } : { size };
  }
}

function runLength(data: Uint8Array, limit: number, keep: boolean): Decoded {
  const out: Uint8Array[] = [];
  let size = 0;
  for (let i = 0; i < data.length; ) {
    const n = data[i] ?? 128;
    if (n === 128) break;
    if (n < 128) {
      const literal = data.subarray(i + 1, i + 2 + n);
      size += literal.length;
      if (keep) out.push(literal);
      i += 2 + n;
    } else {
      size += 257 - n;
      if (keep && size <= limit) out.push(new Uint8Array(257 - n).fill(data[i + 1] ?? 0));
      i += 2;
    }
    if (size > limit) return over(limit);
  }
  return keep ? { size, bytes: Buffer.concat(out, size) } : { size };
}

function asciiHex(data: Uint8Array, limit: number): Decoded {
  const text = Buffer.from(data).toString('latin1');
  const end = text.indexOf('>');
  const digits = (end === -1 ? text : text.slice(0, end)).replace(/[^0-9a-fA-F]/g, '');
  const bytes = Buffer.from(digits.length % 2 === 0 ? digits : `${digits}0`, 'hex');
  return bytes.length > limit ? over(limit) : { size: bytes.length, bytes };
}

function ascii85(data: Uint8Array, limit: number): Decoded {
  const text = Buffer.from(data).toString('latin1');
  const end = text.indexOf('~>');
  const body = (end === -1 ? text : text.slice(0, end)).replace(/[^!-uz]/g, '');
  // sized first: `z` stands for four zero bytes, so the output may be four times the input
  let size = 0;
  let pending = 0;
  for (const char of body) {
    if (char === 'z' && pending === 0) size += 4;
    else if (char !== 'z' && ++pending === 5) {
      size += 4;
      pending = 0;
    }
  }
  if (pending > 1) size += pending - 1;
  if (size > limit) return over(limit);
  const bytes = Buffer.alloc(size);
  let at = 0;
  let value = 0;
  let count = 0;
  const flush = (chars: number): void => {
    for (let k = chars; k < 5; k++) value = value * 85 + 84;
    const word = [(value >>> 24) & 255, (value >>> 16) & 255, (value >>> 8) & 255, value & 255];
    for (let k = 0; k < chars - 1; k++) bytes[at++] = word[k] ?? 0;
    value = 0;
    count = 0;
  };
  for (const char of body) {
    if (char === 'z' && count === 0) {
      at += 4;
      continue;
    }
    if (char === 'z') continue;
    value = value * 85 + (char.charCodeAt(0) - 33);
    if (++count === 5) flush(5);
  }
  if (count > 1) flush(count);
  return { size, bytes };
}

const DECODERS: Record<string, Decoder> = {
  FlateDecode: flate,
  LZWDecode: lzw,
  RunLengthDecode: runLength,
  ASCIIHexDecode: asciiHex,
  ASCII85Decode: ascii85,
};
