import { BLOCK_LENGTH, boundariesIn, codePointBoundary, segmentBoundaries } from './segments.js';

// How far back from a wanted cut to look for a plain boundary to segment from; text with none
// that close (emoji, combining marks) is segmented from the start of the piece being cut.
const ANCHOR_REACH = 32;

/**
 * Characters between any two of which UAX #29 always puts a grapheme cluster boundary: none of
 * them is a control, a combining or spacing mark, a ZWJ, a regional indicator, a prepended
 * mark or a Hangul jamo. Covers ASCII and Latin-1 text, CJK ideographs and punctuation, kana,
 * Hangul syllables, full-width forms and Thai consonants, so that those need no segmenting.
 */
function isPlain(code: number): boolean {
  if (code < 0x3000) {
    return (
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xff && code !== 0xad) ||
      (code >= 0x0e01 && code <= 0x0e30) ||
      code === 0x0e32 ||
      code === 0x0e3f ||
      code === 0x0e45 ||
      code === 0x0e46 ||
      (code >= 0x0e4f && code <= 0x0e5b)
    );
  }
  return (
    code <= 0x3029 ||
    (code >= 0x3041 && code <= 0x3096) ||
    (code >= 0x30a1 && code <= 0x30fa) ||
    code === 0x30fc ||
    (code >= 0x3400 && code <= 0x4dbf) ||
    (code >= 0x4e00 && code <= 0x9fff) ||
    (code >= 0xac00 && code <= 0xd7a3) ||
    (code >= 0xff01 && code <= 0xff60)
  );
}

/** Whether `offset` lies between two plain characters, and so is certainly a grapheme boundary. */
export const isPlainBoundary = (text: string, offset: number): boolean =>
  offset > 0 && offset < text.length && isPlain(text.charCodeAt(offset - 1)) && isPlain(text.charCodeAt(offset));

/**
 * Where to start segmenting so that boundaries from `at` on come out as in the whole text: the
 * nearest plain boundary at or before `at`, if one is close, else `floor` (a known boundary).
 */
export function segmentingStart(text: string, at: number, floor: number): number {
  for (let offset = at; offset > floor && offset >= at - ANCHOR_REACH; offset--) {
    if (isPlainBoundary(text, offset)) return offset;
  }
  return floor;
}

/**
 * The largest grapheme cluster boundary of text[from, end) in (from, at], or undefined when one
 * cluster spans all of it. `from` is where a piece starts, so a boundary itself (or a cut inside
 * a cluster too large for any chunk). Costs O(1) between plain characters, and otherwise
 * segments only from the nearest plain boundary before `at`.
 */
export function graphemeBoundaryAtOrBefore(text: string, from: number, at: number, end: number): number | undefined {
  if (at <= from) return undefined;
  if (at >= end) return end;
  if (isPlainBoundary(text, at)) return at;
  const anchor = segmentingStart(text, at - 1, from);
  // Through the code point at `at`: whether a cluster ends at `at` depends on what follows it.
  const through = Math.min(end, codePointBoundary(text, at + 1));
  let best = anchor > from ? anchor : undefined;
  for (const boundary of boundariesIn(text, anchor, through, 'grapheme')) {
    if (boundary > at) break;
    best = boundary;
  }
  return best;
}

/**
 * The first grapheme cluster boundary of text[from, end) after `from` (itself a boundary): where
 * the cluster starting there ends, however long it is. A block that ends inside the cluster
 * yields one segment, so doubling it until the cluster ends costs O(cluster length) in all.
 */
export function nextGraphemeBoundary(text: string, from: number, end: number): number {
  if (isPlainBoundary(text, from + 1)) return from + 1;
  for (let length = BLOCK_LENGTH; ; length *= 2) {
    const stop = Math.min(end, codePointBoundary(text, from + length));
    const first = from + (segmentBoundaries(text.slice(from, stop), 'grapheme')[0] ?? stop - from);
    // The block's own end is a boundary of the text only at `end`.
    if (first < stop || stop >= end) return first;
  }
}
