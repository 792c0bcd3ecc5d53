import { chunkingWork } from './work-meter.js';

let wordSegmenter: Intl.Segmenter | undefined;
let graphemeSegmenter: Intl.Segmenter | undefined;

/**
 * Offsets inside `slice` (excluding 0, including slice.length) where Intl.Segmenter puts a
 * boundary: user-perceived characters for 'grapheme' (an emoji family or a letter with its
 * accents stays whole), dictionary words for 'word' (ICU segments CJK, which has no spaces).
 */
export function segmentBoundaries(slice: string, granularity: 'word' | 'grapheme'): number[] {
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
