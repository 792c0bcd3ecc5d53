import { codePointBoundary } from './segments.js';
import type { TokenIndex } from './token-index.js';
import { tokenEnds } from './tokenizer.js';

// Tokens a window holds past the budget, so that its own end does not distort the tokens near a cut.
const SLACK_TOKENS = 4;
// Windows are sized a quarter past the budget, so that an estimate a little low needs no second try.
const ESTIMATE_MARGIN = 1.25;
// Characters a window spans at least, so that a tiny budget does not take several tries.
const MIN_LENGTH = 8;

/**
 * The tokens of text[start, end) tokenised on their own, as a chunk starting at `start` is:
 * a cut planned on these token ends is exact except for the piece it cuts through. The window
 * spans the budget and a little more, estimated from the token index and doubled when the
 * estimate falls short, so tokenising windows costs O(chunk) per chunk, not O(span).
 */
export class TokenWindow {
  private constructor(
    readonly start: number,
    private readonly offsets: number[],
    private readonly tokensThroughOffset: number[],
  ) {}

  /** A window from `start` holding `tokens` tokens and some slack, or reaching `end`. */
  static covering(text: string, start: number, end: number, tokens: number, index: TokenIndex): TokenWindow {
    const wanted = tokens + SLACK_TOKENS;
    const estimated = index.offsetAfter(start, Math.ceil(wanted * ESTIMATE_MARGIN), end);
    let stop = Math.max(estimated, Math.min(end, start + MIN_LENGTH));
    for (;;) {
      stop = Math.min(end, codePointBoundary(text, stop));
      const ends = tokenEnds(text.slice(start, stop));
      const total = ends.tokensThrough[ends.tokensThrough.length - 1] ?? 0;
      if (stop >= end || total >= wanted) {
        return new TokenWindow(
          start,
          ends.offsets.map((offset) => start + offset),
          ends.tokensThrough,
        );
      }
      stop = start + 2 * (stop - start);
    }
  }

  /** The furthest token end at most `tokens` tokens after the start, or the start itself. */
  offsetAfter(tokens: number): number {
    const i = lastAtMost(this.tokensThroughOffset, tokens);
    return i < 0 ? this.start : this.offsets[i];
  }

  /** Tokens of the window that end at or before `offset`. */
  tokensThrough(offset: number): number {
    const i = lastAtMost(this.offsets, offset);
    return i < 0 ? 0 : this.tokensThroughOffset[i];
  }
}

/** Index of the last value of the ascending `values` at most `target`, or -1. */
function lastAtMost(values: readonly number[], target: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (values[mid] <= target) low = mid + 1;
    else high = mid;
  }
  return low - 1;
}
