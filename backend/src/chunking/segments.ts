import { chunkingWork } from './work-meter.js';

let wordSegmenter: Intl.Segmenter | undefined;
let graphemeSegmenter: Intl.Segmenter | undefined;

// V8's Intl.Segmenter takes time proportional to the length of the string for every segment it
// yields (0.6 s for all the words of 64,000 CJK characters, minutes for a megabyte), so text is
// handed to it in blocks of this many characters: then the cost is linear.
export const BLOCK_LENGTH = 256;
// Dictionary word boundaries (CJK, Thai) depend on the text around them: those this close to the
// end of a block are not trusted (the next block starts before them), and windows reach this far
// past where boundaries are wanted.
export const WORD_CONTEXT = 8;

export type Granularity = 'word' | 'grapheme';

/**
 * Offsets inside `slice` (excluding 0, including slice.length) where Intl.Segmenter puts a
 * boundary: user-perceived characters for 'grapheme' (an emoji family or a letter with its
 * accents stays whole), dictionary words for 'word' (ICU segments CJK, which has no spaces).
 * Only for short slices: see BLOCK_LENGTH.
 */
export function segmentBoundaries(slice: string, granularity: Granularity): number[] {
  const segmenter =
    granularity === 'word'
      ? (wordSegmenter ??= new Intl.Segmenter('und', { granularity: 'word' }))
      : (graphemeSegmenter ??= new Intl.Segmenter('und', { granularity: 'grapheme' }));
  const boundaries: number[] = [];
  for (const segment of segmenter.segment(slice)) {
    if (segment.index > 0) boundaries.push(segment.index);
  }
  boundaries.push(slice.length);
  chunkingWork.segmentedChars += slice.length;
  chunkingWork.segmenterCost += boundaries.length * slice.length;
  return boundaries;
}

/**
 * Boundaries of text[from, to) segmented on its own (`from` excluded, `to` included), in linear
 * time however long the range: it is segmented in blocks, each starting at the last boundary
 * of the previous block that the block's end cannot have moved. Grapheme boundaries come out
 * exactly as from segmenting the range whole (a cluster boundary depends only on what precedes
 * it); word boundaries nearly so.
 */
export function boundariesIn(text: string, from: number, to: number, granularity: Granularity): number[] {
  const found: number[] = [];
  let start = from;
  let length = BLOCK_LENGTH;
  while (start < to) {
    const end = Math.min(to, codePointBoundary(text, start + length));
    const relative = segmentBoundaries(text.slice(start, end), granularity);
    if (end >= to) {
      for (const offset of relative) found.push(start + offset);
      break;
    }
    const trustedEnd = end - start - (granularity === 'word' ? WORD_CONTEXT : 1);
    const trusted = relative.filter((offset) => offset <= trustedEnd);
    if (trusted.length === 0) {
      // One cluster or word longer than the block: a larger block yields few segments, so it stays cheap.
      length *= 2;
      continue;
    }
    for (const offset of trusted) found.push(start + offset);
    start = found[found.length - 1];
    length = BLOCK_LENGTH;
  }
  return found;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** `offset`, or the offset after it when it would split a surrogate pair. */
export function codePointBoundary(text: string, offset: number): number {
  return offset > 0 && offset < text.length && isLowSurrogate(text.charCodeAt(offset)) ? offset + 1 : offset;
}
