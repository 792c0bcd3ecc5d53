import cl100k from 'js-tiktoken/ranks/cl100k_base';

import { bytePairBoundaries } from './byte-pair-merge.js';
import { MergeTable } from './merge-table.js';
import { chunkingWork } from './work-meter.js';

/** Where the tokens of a text end: tokensThrough[i] tokens end at or before offsets[i] (both ascending). */
export interface TokenEnds {
  offsets: number[];
  tokensThrough: number[];
}

/**
 * Pre-tokenised pieces of a text: piece k spans [starts[k], ends[k]) and encodes to tokens[k]
 * tokens, exactly up to LONG_PIECE characters and estimated from samples beyond.
 */
export interface TextPieces {
  starts: Int32Array;
  ends: Int32Array;
  tokens: Int32Array;
}

// Piece counts repeat heavily (words); the cap keeps a long-running process from growing without bound.
const CACHE_MAX_ENTRIES = 100_000;
const CACHE_MAX_PIECE_LENGTH = 48;
// A piece longer than this (a run of CJK or letters without a break) is counted for planning
// from samples: merging a 5 MB word whole took half the time of chunking it, and every chunk
// cut from it is counted exactly anyway.
const LONG_PIECE = 8192;
const SAMPLES = 16;
const SAMPLE_LENGTH = 1024;

/**
 * cl100k_base, the tokenizer of text-embedding-3-small, built from js-tiktoken's bundled ranks
 * and pre-tokenisation pattern. Token counts equal js-tiktoken's `encode(text, [], []).length`
 * (special-token text is ordinary text here, as it is in an embedding input).
 */
class Cl100kTokenizer {
  private readonly merges: MergeTable;
  private readonly pattern: RegExp;
  private readonly pieceCounts = new Map<string, number>();

  constructor() {
    const ranks = new Map<string, number>();
    for (const line of cl100k.bpe_ranks.split('\n')) {
      if (!line) continue;
      const fields = line.split(' ');
      const offset = Number.parseInt(fields[1] ?? '', 10);
      for (let i = 2; i < fields.length; i++) {
        ranks.set(Buffer.from(fields[i] ?? '', 'base64').toString('latin1'), offset + i - 2);
      }
    }
    this.merges = new MergeTable(ranks);
    this.pattern = new RegExp(cl100k.pat_str, 'gu');
  }

  count(text: string): number {
    let total = 0;
    this.forEachPiece(text, (piece) => {
      total += this.countPiece(piece);
    });
    return total;
  }

  pieces(text: string): TextPieces {
    const starts: number[] = [];
    const ends: number[] = [];
    const tokens: number[] = [];
    this.forEachPiece(text, (piece, start) => {
      starts.push(start);
      ends.push(start + piece.length);
      tokens.push(piece.length > LONG_PIECE ? this.estimatePiece(piece) : this.countPiece(piece));
    });
    return { starts: Int32Array.from(starts), ends: Int32Array.from(ends), tokens: Int32Array.from(tokens) };
  }

  /** Tokens of a long piece, extrapolated from SAMPLES evenly spaced stretches of it. */
  private estimatePiece(piece: string): number {
    const stride = Math.floor(piece.length / SAMPLES);
    let sampledChars = 0;
    let sampledTokens = 0;
    for (let i = 0; i < SAMPLES; i++) {
      const start = codePointStart(piece, i * stride);
      const sample = piece.slice(start, codePointStart(piece, start + Math.min(stride, SAMPLE_LENGTH)));
      sampledChars += sample.length;
      sampledTokens += this.merge(toByteString(sample)).length - 1;
    }
    return Math.max(1, Math.round((sampledTokens * piece.length) / sampledChars));
  }

  /**
   * Offsets in `text` where the tokens of `text` end, with the number of tokens ended by each. A
   * token that ends inside a multi-byte character is reported at the end of that character, so
   * every offset is a code-point boundary, and one offset may end several tokens.
   */
  tokenEnds(text: string): TokenEnds {
    const offsets: number[] = [];
    const tokensThrough: number[] = [];
    let tokens = 0;
    this.forEachPiece(text, (piece, start) => {
      const bytes = toByteString(piece);
      const boundaries = this.merge(bytes);
      // A chunk planned on these token ends is counted next, mostly of the same pieces.
      this.remember(piece, boundaries.length - 1);
      if (bytes === piece) {
        for (let b = 1; b < boundaries.length; b++) {
          offsets.push(start + boundaries[b]);
          tokensThrough.push(++tokens);
        }
        return;
      }
      let b = 1;
      let byteOffset = 0;
      for (let charOffset = 0; charOffset < piece.length; ) {
        const codePoint = piece.codePointAt(charOffset) ?? 0;
        byteOffset += utf8Length(codePoint);
        charOffset += codePoint > 0xffff ? 2 : 1;
        const before = tokens;
        while (b < boundaries.length && boundaries[b] <= byteOffset) {
          b++;
          tokens++;
        }
        if (tokens > before) {
          offsets.push(start + charOffset);
          tokensThrough.push(tokens);
        }
      }
    });
    return { offsets, tokensThrough };
  }

  private countPiece(piece: string): number {
    const cached = piece.length <= CACHE_MAX_PIECE_LENGTH ? this.pieceCounts.get(piece) : undefined;
    if (cached !== undefined) return cached;
    const count = this.merge(toByteString(piece)).length - 1;
    this.remember(piece, count);
    return count;
  }

  private remember(piece: string, count: number): void {
    if (piece.length > CACHE_MAX_PIECE_LENGTH) return;
    if (this.pieceCounts.size >= CACHE_MAX_ENTRIES) this.pieceCounts.clear();
    this.pieceCounts.set(piece, count);
  }

  private merge(bytes: string): number[] {
    chunkingWork.mergedBytes += bytes.length;
    return bytePairBoundaries(bytes, this.merges);
  }

  private forEachPiece(text: string, visit: (piece: string, start: number) => void): void {
    chunkingWork.tokenizedChars += text.length;
    const pattern = this.pattern;
    pattern.lastIndex = 0;
    for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
      if (match[0].length === 0) {
        pattern.lastIndex++;
        continue;
      }
      visit(match[0], match.index);
    }
  }
}

/** `offset`, or the offset after it when it would split a surrogate pair. */
function codePointStart(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  return code >= 0xdc00 && code <= 0xdfff ? offset + 1 : offset;
}

function toByteString(piece: string): string {
  for (let i = 0; i < piece.length; i++) {
    if (piece.charCodeAt(i) > 0x7f) return Buffer.from(piece, 'utf8').toString('latin1');
  }
  return piece;
}

function utf8Length(codePoint: number): number {
  if (codePoint < 0x80) return 1;
  if (codePoint < 0x800) return 2;
  if (codePoint < 0x10000) return 3;
  return 4;
}

let tokenizer: Cl100kTokenizer | undefined;

/** Building the rank table takes ~0.1 s, so it happens on first use (or warmUpTokenizer), once per process. */
function cl100kTokenizer(): Cl100kTokenizer {
  tokenizer ??= new Cl100kTokenizer();
  return tokenizer;
}

/** Number of cl100k_base tokens in `text`: what text-embedding-3-small counts against its limits. */
export function countTokens(text: string): number {
  return cl100kTokenizer().count(text);
}

/** Every pre-tokenised piece of `text` with its token count (estimated for very long pieces), from one pass over the text. */
export function tokenizePieces(text: string): TextPieces {
  return cl100kTokenizer().pieces(text);
}

/** Offsets (relative to `text`) where its tokens end, each on a code-point boundary. */
export function tokenEndOffsets(text: string): number[] {
  return cl100kTokenizer().tokenEnds(text).offsets;
}

/** Offsets (relative to `text`) where its tokens end, each with the number of tokens ended by then. */
export function tokenEnds(text: string): TokenEnds {
  return cl100kTokenizer().tokenEnds(text);
}

/** Builds the rank table now rather than on the first request that needs it. */
export function warmUpTokenizer(): void {
  cl100kTokenizer();
}
