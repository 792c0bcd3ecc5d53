import { tokenizePieces, type TextPieces } from './tokenizer.js';

/**
 * Token counts of arbitrary ranges of one text from a single tokenisation pass: prefix sums over
 * its pre-tokenised pieces, O(log n) per query. A range that cuts through a piece is charged a
 * proportional share of it (and a piece of thousands of characters is counted from samples), so
 * the figure is an estimate near the edges; the chunker confirms every chunk it emits with an
 * exact count.
 */
export class TokenIndex {
  private readonly pieces: TextPieces;
  /** cumulative[k] = tokens of pieces 0..k-1 */
  private readonly cumulative: Float64Array;

  constructor(text: string) {
    this.pieces = tokenizePieces(text);
    const { tokens } = this.pieces;
    this.cumulative = new Float64Array(tokens.length + 1);
    for (let k = 0; k < tokens.length; k++) this.cumulative[k + 1] = this.cumulative[k] + tokens[k];
  }

  /** Estimated tokens of text[start, end). */
  estimate(start: number, end: number): number {
    if (end <= start) return 0;
    const first = this.pieceAt(start);
    const last = this.pieceAt(end - 1);
    if (first < 0 && last < 0) return 0;
    if (first === last) return this.share(first, start, end);
    const interior = this.cumulative[last] - this.cumulative[Math.max(first + 1, 0)];
    return this.share(first, start, end) + Math.max(interior, 0) + this.share(last, start, end);
  }

  /**
   * The largest offset in [start, end] whose range from `start` is estimated at most `tokens`
   * tokens (`start` itself when none is). Binary search: estimates grow with the range.
   */
  offsetAfter(start: number, tokens: number, end: number): number {
    let low = start;
    let high = end;
    while (low < high) {
      const mid = low + Math.ceil((high - low) / 2);
      if (this.estimate(start, mid) <= tokens) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Index of the last piece starting at or before `offset`, or -1. */
  private pieceAt(offset: number): number {
    const { starts } = this.pieces;
    let low = 0;
    let high = starts.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (starts[mid] <= offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }

  private share(k: number, start: number, end: number): number {
    if (k < 0) return 0;
    const pieceStart = this.pieces.starts[k];
    const pieceEnd = this.pieces.ends[k];
    const covered = Math.min(end, pieceEnd) - Math.max(start, pieceStart);
    if (covered <= 0) return 0;
    const tokens = this.pieces.tokens[k];
    if (covered === pieceEnd - pieceStart) return tokens;
    return Math.max(1, Math.ceil((tokens * covered) / (pieceEnd - pieceStart)));
  }
}
