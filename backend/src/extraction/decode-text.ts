import { analyse } from 'chardet';

import { UnsupportedTypeError } from './extraction-errors.js';
import { normalizeText } from './normalize-text.js';
import { decodeWindows1252 } from './windows-1252.js';

export interface DecodedText {
  /** Normalised text (see `normalizeText`). */
  text: string;
  /** WHATWG name of the encoding used, e.g. `utf-8`, `utf-16le`, `windows-1252`. */
  encoding: string;
}

/** Enough of a file to judge its encoding and whether it is text at all. */
const SAMPLE_BYTES = 64 * 1024;
/** Share of control or replacement characters above which the bytes are binary, not text. */
const MAX_SUSPICIOUS_RATIO = 0.01;
/** chardet confidence (0-100) below which its guess is no better than the windows-1252 default. */
const WEAK_GUESS = 25;

/**
 * Decodes text bytes: a BOM wins (UTF-8, UTF-16 LE/BE), then valid UTF-8, then a declared charset
 * (HTTP header, `<meta charset>`), then chardet's best legacy guess (windows-125x, ISO-8859-x,
 * Shift_JIS...). Throws `UnsupportedTypeError` when the result does not look like text.
 */
export function decodeText(bytes: Uint8Array, declaredEncoding?: string): DecodedText {
  const { text, encoding } = decodeRaw(bytes, declaredEncoding, false);
  if (looksBinary(text)) throw new UnsupportedTypeError('binary data');
  return { text: normalizeText(text), encoding };
}

/**
 * `decodeText` on the start of the file only: what format detection needs, cheap enough for the
 * request thread. A multi-byte character cut by the sample's end is not an encoding error.
 */
export function decodeTextSample(bytes: Uint8Array, declaredEncoding?: string): DecodedText {
  const { text, encoding } = decodeRaw(bytes.subarray(0, SAMPLE_BYTES), declaredEncoding, bytes.byteLength > SAMPLE_BYTES);
  if (looksBinary(text)) throw new UnsupportedTypeError('binary data');
  return { text: normalizeText(text), encoding };
}

function decodeRaw(bytes: Uint8Array, declaredEncoding: string | undefined, partial: boolean): { text: string; encoding: string } {
  if (startsWith(bytes, [0xff, 0xfe, 0x00, 0x00]) || startsWith(bytes, [0x00, 0x00, 0xfe, 0xff])) {
    // TextDecoder has no UTF-32, and nobody saves documents in it on purpose.
    throw new UnsupportedTypeError('UTF-32 text');
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return decodeWith('utf-8', bytes, partial);
  if (startsWith(bytes, [0xff, 0xfe])) return decodeWith('utf-16le', bytes, partial);
  if (startsWith(bytes, [0xfe, 0xff])) return decodeWith('utf-16be', bytes, partial);

  const utf8 = decodeUtf8(bytes, partial);
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };

  const declared = singleOrMultiByteEncoding(declaredEncoding);
  if (declared) return decodeWith(declared, bytes, partial);
  return decodeWith(guessLegacyEncoding(bytes), bytes, partial);
}

/**
 * UTF-8, or null when the bytes are in another encoding. A file that is overwhelmingly valid
 * UTF-8 with a few broken sequences (a bad copy-paste, a truncated upload) stays UTF-8 with
 * replacement characters, rather than turning every accented letter into mojibake.
 */
function decodeUtf8(bytes: Uint8Array, partial: boolean): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: partial });
  } catch {
    const text = new TextDecoder('utf-8').decode(bytes, { stream: partial });
    let replaced = 0;
    let multiByte = 0;
    for (const char of text) {
      if (char === '\ufffd') replaced++;
      else if (char.charCodeAt(0) > 0x7f) multiByte++;
    }
    return multiByte >= 10 * replaced ? text : null;
  }
}

function decodeWith(encoding: string, bytes: Uint8Array, partial: boolean): { text: string; encoding: string } {
  const decoder = new TextDecoder(encoding);
  return { text: decodeAs(decoder.encoding, bytes, partial), encoding: decoder.encoding };
}

/** TextDecoder, except for windows-1252 (also what `latin1` and `iso-8859-1` mean), which Node gets wrong. */
function decodeAs(encoding: string, bytes: Uint8Array, partial: boolean): string {
  return encoding === 'windows-1252' ? decodeWindows1252(bytes) : new TextDecoder(encoding).decode(bytes, { stream: partial });
}

/**
 * chardet's most confident answer that decodes the sample cleanly. Its ISO-8859 guesses often come
 * from windows-125x files, whose 0x80-0x9F bytes (curly quotes, dashes) ISO-8859 reads as
 * control characters: those guesses are passed over. A weak guess (a few accented words give
 * chardet little to go on) or a tie goes to windows-1252, the most common legacy encoding.
 */
function guessLegacyEncoding(bytes: Uint8Array): string {
  const sample = bytes.subarray(0, SAMPLE_BYTES);
  const candidates = analyse(sample)
    .filter((match) => match.confidence > 0)
    .map((match) => ({ encoding: singleOrMultiByteEncoding(match.name), confidence: match.confidence }))
    .filter((c): c is { encoding: string; confidence: number } => c.encoding !== null)
    .filter((c) => !hasControlOrReplacement(decodeAs(c.encoding, sample, true)));
  const top = candidates[0];
  if (!top) return 'windows-1252';
  if (top.confidence >= WEAK_GUESS && !candidates.some((c) => c.encoding === 'windows-1252' && c.confidence === top.confidence)) {
    return top.encoding;
  }
  return hasControlOrReplacement(decodeAs('windows-1252', sample, true)) ? top.encoding : 'windows-1252';
}

function hasControlOrReplacement(text: string): boolean {
  return /[\u0080-\u009f\ufffd]/.test(text);
}

/**
 * The WHATWG name for a label TextDecoder supports, leaving out the encodings a BOM-less file
 * cannot be in here: UTF-8 (already ruled out) and UTF-16/32 (only accepted with a BOM).
 */
function singleOrMultiByteEncoding(label: string | undefined): string | null {
  if (!label) return null;
  try {
    const encoding = new TextDecoder(label.trim()).encoding;
    return encoding === 'utf-8' || encoding.startsWith('utf-16') ? null : encoding;
  } catch {
    return null;
  }
}

/** Control characters (other than whitespace and ESC) and U+FFFD are rare in text and common in binary data. */
function looksBinary(text: string): boolean {
  const sample = text.slice(0, SAMPLE_BYTES);
  if (sample.length === 0) return false;
  let suspicious = 0;
  for (let i = 0; i < sample.length; i++) {
    const code = sample.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d && code !== 0x0c && code !== 0x0b && code !== 0x1b) || (code >= 0x7f && code <= 0x9f) || code === 0xfffd) {
      suspicious++;
    }
  }
  // One stray control character in a short note is damage, not a binary format.
  return suspicious > 1 && suspicious / sample.length > MAX_SUSPICIOUS_RATIO;
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}
