/** Rank of no token: higher than every real rank. A literal: a global such as Infinity is ~3x slower to read inside a vm context (jest). */
export const NO_RANK = 0x7fffffff;

/** Token ranks by byte string (one UTF-16 unit per byte), as tiktoken lists them. */
export type RankTable = ReadonlyMap<string, number>;

// Module-level alias, for the same reason: `Math` is a global.
const imul = Math.imul;
const EMPTY = -1;
const INITIAL_BITS = 12;
// 2^20 remembered pairs (12 MB); past that the table starts over rather than grow without bound.
const MAX_BITS = 20;

/**
 * A BPE vocabulary as byte-pair merging uses it: the rank of each single byte, and the rank of
 * the token made of two tokens side by side (or NO_RANK). Pairs are looked up in the rank table
 * once, by their bytes, and then remembered in an open-addressing hash table of typed arrays
 * keyed by the two ranks, so that a repeated pair (most of them, in any long text) costs two
 * integer hashes instead of building and hashing a string. Remembering as they come, rather than
 * listing all 233,000 pairs up front, keeps building the tokenizer at ~0.1 s: a worker thread
 * builds one as it starts.
 */
export class MergeTable {
  private readonly byteRanks = new Int32Array(256);
  /** The bytes of each token, by rank. */
  private readonly tokens: string[] = [];
  private lefts = new Int32Array(1 << INITIAL_BITS).fill(EMPTY);
  private rights = new Int32Array(1 << INITIAL_BITS);
  private merged = new Int32Array(1 << INITIAL_BITS);
  private bits = INITIAL_BITS;
  private size = 0;

  constructor(private readonly ranks: RankTable) {
    for (const [token, rank] of ranks) this.tokens[rank] = token;
    for (let byte = 0; byte < 256; byte++) this.byteRanks[byte] = ranks.get(String.fromCharCode(byte)) ?? NO_RANK;
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
    const mask = (1 << this.bits) - 1;
    for (let slot = this.slotOf(left, right); ; slot = (slot + 1) & mask) {
      const stored = this.lefts[slot];
      if (stored === EMPTY) break;
      if (stored === left && this.rights[slot] === right) return this.merged[slot];
    }
    const rank = left === NO_RANK || right === NO_RANK ? NO_RANK : (this.ranks.get(this.tokens[left] + this.tokens[right]) ?? NO_RANK);
    this.remember(left, right, rank);
    return rank;
  }

  private remember(left: number, right: number, rank: number): void {
    // At most half full, so that probes stay short.
    if (2 * (this.size + 1) > 1 << this.bits) {
      if (this.bits < MAX_BITS) this.resize(this.bits + 1);
      else this.resize(this.bits, false);
    }
    this.insert(left, right, rank);
  }

  private insert(left: number, right: number, rank: number): void {
    const mask = (1 << this.bits) - 1;
    let slot = this.slotOf(left, right);
    while (this.lefts[slot] !== EMPTY) slot = (slot + 1) & mask;
    this.lefts[slot] = left;
    this.rights[slot] = right;
    this.merged[slot] = rank;
    this.size++;
  }

  /** A table of 2^bits slots, holding the pairs remembered so far unless `keep` is false. */
  private resize(bits: number, keep = true): void {
    const { lefts, rights, merged } = this;
    this.bits = bits;
    this.lefts = new Int32Array(1 << bits).fill(EMPTY);
    this.rights = new Int32Array(1 << bits);
    this.merged = new Int32Array(1 << bits);
    this.size = 0;
    if (!keep) return;
    for (let slot = 0; slot < lefts.length; slot++) {
      if (lefts[slot] !== EMPTY) this.insert(lefts[slot], rights[slot], merged[slot]);
    }
  }

  private slotOf(left: number, right: number): number {
    return (imul(left, 0x9e3779b1) ^ imul(right + 0x632be5ab, 0x85ebca77)) >>> (32 - this.bits);
  }
}
