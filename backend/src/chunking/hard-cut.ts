import { segmentBoundaries } from './segments.js';
import type { Span } from './text-structure.js';
import { countTokens, tokenEndOffsets } from './tokenizer.js';

export interface CountedSpan extends Span {
  /** Exact token count of the span's text. */
  tokens: number;
}

/** UTF-8 encodes a code point in at most 4 bytes, and no token is shorter than a byte. */
export const MAX_CODE_POINT_TOKENS = 4;

/**
 * The last resort for text with no whitespace to split on (a long identifier or URL, a run of
 * CJK, a base64 blob): pieces of at most `firstBudget` (then `budget`) tokens, exactly counted.
 * Cuts fall on word boundaries from Intl.Segmenter (dictionary-based for CJK, punctuation in a
 * URL) when that keeps a piece at least half full, otherwise between grapheme clusters, and
 * between code points only inside a cluster larger than the budget (at most 4 tokens each).
 */
export function hardCut(text: string, span: Span, firstBudget: number, budget: number): CountedSpan[] {
  const slice = text.slice(span.start, span.end);
  const ends = tokenEndOffsets(slice);
  const ascii = /^[\x20-\x7e]*$/.test(slice);
  const graphemes = ascii ? null : segmentBoundaries(slice, 'grapheme');
  const words = segmentBoundaries(slice, 'word');

  const pieces: CountedSpan[] = [];
  let limitBudget = firstBudget >= MAX_CODE_POINT_TOKENS ? firstBudget : budget;
  for (let position = 0; position < slice.length; ) {
    const firstToken = firstIndexAbove(ends, position);
    let limit = ends[Math.min(firstToken + limitBudget - 1, ends.length - 1)] ?? slice.length;
    let cut: number;
    let tokens: number;
    for (;;) {
      cut = pickCut(slice, position, limit, words, graphemes);
      tokens = countTokens(slice.slice(position, cut));
      // A single code point always fits a budget of MAX_CODE_POINT_TOKENS; stopping there guarantees progress.
      if (tokens <= limitBudget || cut <= position + codePointLength(slice, position)) break;
      // Too long: drop the overshoot, measured in the whole span's tokens, and try again.
      const index = firstIndexAbove(ends, cut) - 1;
      const shorter = ends[index - (tokens - limitBudget)] ?? -1;
      limit = Math.min(shorter > position ? shorter : cut - 1, cut - 1);
    }
    pieces.push({ start: span.start + position, end: span.start + cut, tokens });
    position = cut;
    limitBudget = budget;
  }
  return pieces;
}

/** The furthest acceptable cut in (position, limit]; the nearest cut after `position` when none is. */
function pickCut(
  slice: string,
  position: number,
  limit: number,
  words: readonly number[],
  graphemes: readonly number[] | null,
): number {
  const grapheme = graphemes === null ? (limit > position ? limit : undefined) : largestIn(graphemes, position, limit);
  if (grapheme === undefined) {
    // Not even one whole grapheme cluster fits: cut between code points, never inside a surrogate pair.
    let cut = Math.max(limit, position + 1);
    if (isLowSurrogate(slice.charCodeAt(cut)) && cut - 1 > position) cut--;
    else if (isLowSurrogate(slice.charCodeAt(cut))) cut++;
    return Math.min(cut, slice.length);
  }
  const word = largestIn(words, position, limit);
  return word !== undefined && (word - position) * 2 >= grapheme - position ? word : grapheme;
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

const codePointLength = (slice: string, index: number): number => ((slice.codePointAt(index) ?? 0) > 0xffff ? 2 : 1);

/** Largest value of the sorted `values` in (low, high], if any. */
function largestIn(values: readonly number[], low: number, high: number): number | undefined {
  const index = firstIndexAbove(values, high) - 1;
  return index >= 0 && values[index] > low ? values[index] : undefined;
}

/** Index of the first value of the sorted `values` greater than `target` (values.length if none). */
function firstIndexAbove(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] <= target) low = mid + 1;
    else high = mid;
  }
  return low;
}
