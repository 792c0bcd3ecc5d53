import { graphemeBoundaryAtOrBefore, nextGraphemeBoundary } from './grapheme-boundary.js';
import type { Span } from './text-structure.js';
import type { TokenIndex } from './token-index.js';
import { TokenWindow } from './token-window.js';
import { countTokens } from './tokenizer.js';
import { lastWordBoundary } from './word-boundary.js';

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
 *
 * Linear in the span's length: each piece is planned on the token ends of a window just past
 * the budget (tokenised as the piece itself is), and then counted exactly, once in general.
 */
export function hardCut(text: string, span: Span, firstBudget: number, budget: number, index: TokenIndex): CountedSpan[] {
  const pieces: CountedSpan[] = [];
  let limitBudget = firstBudget >= MAX_CODE_POINT_TOKENS ? firstBudget : budget;
  // The first cluster boundary at or after `position`: past `position` only while cutting
  // through a cluster too large for a chunk, whose inside must not be segmented as if it began there.
  let floor = span.start;
  for (let position = span.start; position < span.end; ) {
    let piece = cutPiece(text, { position, floor, end: span.end }, limitBudget, index);
    if (piece.insideCluster && limitBudget < budget) {
      // Not one whole cluster fits what is left of the open chunk: if one fits a chunk of its
      // own, leave it whole to the next chunk rather than split a character needlessly.
      const whole = cutPiece(text, { position, floor, end: span.end }, budget, index);
      if (!whole.insideCluster) piece = whole;
    }
    pieces.push({ start: position, end: piece.end, tokens: piece.tokens });
    if (!piece.insideCluster) floor = piece.end;
    else if (floor <= position) floor = nextGraphemeBoundary(text, position, span.end);
    position = piece.end;
    limitBudget = budget;
  }
  return pieces;
}

interface Cursor {
  position: number;
  floor: number;
  end: number;
}

interface Piece {
  end: number;
  tokens: number;
  /** Cut between code points: no whole grapheme cluster fitted. */
  insideCluster: boolean;
}

/** The longest acceptable piece from the cursor of at most `budget` tokens, exactly counted. */
function cutPiece(text: string, cursor: Cursor, budget: number, index: TokenIndex): Piece {
  const { position } = cursor;
  const window = TokenWindow.covering(text, position, cursor.end, budget, index);
  let limit = window.offsetAfter(budget);
  for (let retry = 0; ; retry++) {
    const cut = pickCut(text, cursor, limit);
    const tokens = countTokens(text.slice(position, cut.end));
    // A single code point always fits a budget of MAX_CODE_POINT_TOKENS; stopping there guarantees progress.
    if (tokens <= budget || cut.end <= position + codePointLength(text, position)) return { ...cut, tokens };
    // Too long (the cut piece merged differently than in the window): drop the overshoot, as
    // the window counts it, doubled on each retry so that retries stay few.
    const overshoot = (tokens - budget) * 2 ** retry;
    limit = Math.min(window.offsetAfter(window.tokensThrough(cut.end) - overshoot), cut.end - 1);
  }
}

/** The furthest acceptable cut in (position, limit]; the nearest cut after the position when none is. */
function pickCut(text: string, { position, floor, end }: Cursor, limit: number): Omit<Piece, 'tokens'> {
  // Inside a cluster too large for a chunk, its end (the floor) is the first boundary there is.
  const grapheme = limit < floor ? undefined : (graphemeBoundaryAtOrBefore(text, floor, limit, end) ?? (floor > position ? floor : undefined));
  if (grapheme === undefined) {
    // Not even one whole grapheme cluster fits: cut between code points, never inside a surrogate pair.
    let cut = Math.max(limit, position + 1);
    if (cut < end && isLowSurrogate(text.charCodeAt(cut))) cut += cut - 1 > position ? -1 : 1;
    return { end: Math.min(cut, end), insideCluster: true };
  }
  const low = Math.max(position + Math.ceil((grapheme - position) / 2), floor + 1);
  const word = lastWordBoundary(text, low, grapheme, floor, end);
  // A word boundary seen from a window that began mid-cluster could fall inside one.
  const wordOk = word !== undefined && graphemeBoundaryAtOrBefore(text, floor, word, end) === word;
  return { end: wordOk ? word : grapheme, insideCluster: false };
}

const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

const codePointLength = (text: string, index: number): number => ((text.codePointAt(index) ?? 0) > 0xffff ? 2 : 1);
