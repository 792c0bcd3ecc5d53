/** Rank of no token: higher than every real rank. A literal: a global such as Infinity is ~3x slower to read inside a vm context (jest). */
export const NO_RANK = 0x7fffffff;

// Module-level aliases, for the same reason: `Math` is a global.
const imul = Math.imul;

/** Token ranks by byte string (one UTF-16 unit per byte), as tiktoken lists them. */
export type RankTable = ReadonlyMap<string, number>;

/**
 * A BPE vocabulary as byte-pair merging uses it: the rank of each single byte, and for every
 * two tokens whose concatenation is a token, that token's rank. The pairs live in an
 * open-addressing hash table of typed arrays keyed by the two ranks, so that a lookup hashes
 * two integers rather than slicing and hashing a string (twice as fast on long pieces).
 */
export class MergeTable {
  private readonly byteRanks = new Int32Array(256);
  private readonly lefts: Int32Array;
  private readonly rights: Int32Array;
  private readonly merged: Int32Array;
  private readonly shift: number;
  private readonly mask: number;

  constructor(private readonly ranks: RankTable) {
    for (let byte = 0; byte < 256; byte++) this.byteRanks[byte] = ranks.get(String.fromCharCode(byte)) ?? NO_RANK;

    const pairs: number[] = [];
    for (const [token, rank] of ranks) {
      for (let split = 1; split < token.length; split++) {
        const left = ranks.get(token.slice(0, split));
        if (left === undefined) continue;
        const right = ranks.get(token.slice(split));
        if (right !== undefined) pairs.push(left, right, rank);
      }
    }
    // At most half full, so that probes stay short.
    let bits = 4;
    while (1 << bits < (pairs.length / 3) * 2) bits++;
    this.shift = 32 - bits;
    this.mask = (1 << bits) - 1;
    this.lefts = new Int32Array(1 << bits).fill(-1);
    this.rights = new Int32Array(1 << bits);
    this.merged = new Int32Array(1 << bits);
    for (let p = 0; p < pairs.length; p += 3) {
      let slot = this.slotOf(pairs[p], pairs[p + 1]);
      while (this.lefts[slot] !== -1) slot = (slot + 1) & this.mask;
      this.lefts[slot] = pairs[p];
      this.rights[slot] = pairs[p + 1];
      this.merged[slot] = pairs[p + 2];
    }
  }

  /** Whether the byte string is one token. */
  isToken(bytes: string): boolean {
    return this.ranks.has(bytes);
  }

  /** Rank of the single-byte token `byte`. */
  byteRank(byte: number): number {
    return this.byteRanks[byte];
  }

  /** Rank of the token that is token `left` followed by token `right`, or NO_RANK when there is none. */
  pairRank(left: number, right: number): number {
    if (left === NO_RANK || right === NO_RANK) return NO_RANK;
    for (let slot = this.slotOf(left, right); ; slot = (slot + 1) & this.mask) {
      const stored = this.lefts[slot];
      if (stored === -1) return NO_RANK;
      if (stored === left && this.rights[slot] === right) return this.merged[slot];
    }
  }

  private slotOf(left: number, right: number): number {
    return (imul(left, 0x9e3779b1) ^ imul(right + 0x632be5ab, 0x85ebca77)) >>> this.shift;
  }
}
