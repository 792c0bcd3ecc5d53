import { codePointBoundary, segmentBoundaries, WORD_CONTEXT } from './segments.js';

// Enough for several CJK dictionary words; longer words are found a window further back.
const WORD_WINDOW = 32;

/**
 * The largest Intl.Segmenter word boundary in [low, high], or undefined. Looks in short windows
 * of text[from, end), backwards from `high`, so that the cost does not grow with the piece
 * being cut: CJK has a boundary every word or two, and text without any (a base64 run, one
 * long word) is segmented a window at a time, each yielding a segment or two.
 */
export function lastWordBoundary(text: string, low: number, high: number, from: number, end: number): number | undefined {
  for (let windowEnd = high; windowEnd >= low; ) {
    let start = Math.max(from, windowEnd - WORD_WINDOW);
    if (start > from && codePointBoundary(text, start) !== start) start--;
    const stop = Math.min(end, codePointBoundary(text, windowEnd + WORD_CONTEXT));
    const boundaries = segmentBoundaries(text.slice(start, stop), 'word');
    for (let i = boundaries.length - 1; i >= 0; i--) {
      const boundary = start + boundaries[i];
      if (boundary < low) break;
      if (boundary <= windowEnd) return boundary;
    }
    // The window reports boundaries after its start; the next one ends there.
    if (start < low || start <= from) break;
    windowEnd = start;
  }
  return undefined;
}
