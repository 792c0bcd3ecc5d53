import type { MergeTable } from './merge-table.js';

/**
 * Byte-pair merging of one pre-tokenised piece, with the exact rule tiktoken applies (repeatedly
 * merge the adjacent pair whose concatenation has the lowest rank, leftmost on a tie) but in
 * O(n log n): js-tiktoken rescans every pair after each merge, which is quadratic in the piece
 * length and took 2.5 s for 2,000 CJK characters without punctuation (one piece).
 *
 * A piece is given as a "byte string": one UTF-16 unit per UTF-8 byte (latin1). Every part of
 * it is a token at every step, so parts are held as ranks and a merge is one integer lookup in
 * the merge table, with no slicing or string hashing.
 */

// merge-table.ts's NO_RANK, as a module-local literal: an imported binding is a property read in CommonJS (jest).
const NO_RANK = 0x7fffffff;
// Below this many bytes a scan for the lowest pair beats a heap (most pieces are a word or less).
const SCAN_MAX_BYTES = 32;
// Reused by every scan-sized merge: these pieces are most of all merges, and allocation dominated them.
const scanStarts = new Int32Array(SCAN_MAX_BYTES + 1);
const scanParts = new Int32Array(SCAN_MAX_BYTES);
const scanPairs = new Int32Array(SCAN_MAX_BYTES);

/** Start offsets (in bytes) of the tokens of `bytes`, followed by `bytes.length`. */
export function bytePairBoundaries(bytes: string, merges: MergeTable): number[] {
  const n = bytes.length;
  if (n <= 1 || merges.isToken(bytes)) return n === 0 ? [0] : [0, n];
  return n <= SCAN_MAX_BYTES ? scanMerge(bytes, merges) : heapMerge(bytes, merges);
}

/** tiktoken's own loop, on reused arrays: find the lowest pair, merge it, update its neighbours. */
function scanMerge(bytes: string, merges: MergeTable): number[] {
  const n = bytes.length;
  const starts = scanStarts;
  const parts = scanParts;
  const pairs = scanPairs;
  for (let i = 0; i < n; i++) {
    starts[i] = i;
    parts[i] = merges.byteRank(bytes.charCodeAt(i));
  }
  starts[n] = n;
  for (let i = 0; i < n - 1; i++) pairs[i] = merges.pairRank(parts[i], parts[i + 1]);
  let count = n;
  for (;;) {
    let best = NO_RANK;
    let at = -1;
    for (let i = 0; i < count - 1; i++) {
      if (pairs[i] < best) {
        best = pairs[i];
        at = i;
      }
    }
    if (at < 0) break;
    parts[at] = best;
    for (let i = at + 1; i < count - 1; i++) {
      starts[i] = starts[i + 1];
      parts[i] = parts[i + 1];
      pairs[i] = pairs[i + 1];
    }
    starts[count - 1] = starts[count];
    count--;
    pairs[at] = at + 1 < count ? merges.pairRank(best, parts[at + 1]) : NO_RANK;
    if (at > 0) pairs[at - 1] = merges.pairRank(parts[at - 1], best);
  }
  const boundaries: number[] = [];
  for (let i = 0; i <= count; i++) boundaries.push(starts[i]);
  return boundaries;
}

function heapMerge(bytes: string, merges: MergeTable): number[] {
  const n = bytes.length;
  // Part i spans [i, next[i]) and is the token parts[i]; pairRank[i] is the rank of part i merged
  // with the next part. Merged-away parts get NO_RANK, so heap entries for them are stale.
  const next = new Int32Array(n + 1);
  const prev = new Int32Array(n);
  const parts = new Int32Array(n);
  const pairRank = new Int32Array(n).fill(NO_RANK);
  for (let i = 0; i < n; i++) {
    next[i] = i + 1;
    prev[i] = i - 1;
    parts[i] = merges.byteRank(bytes.charCodeAt(i));
  }
  next[n] = n;

  const heap = new PairHeap(n);
  for (let i = 0; i < n - 1; i++) {
    const rank = merges.pairRank(parts[i], parts[i + 1]);
    pairRank[i] = rank;
    if (rank !== NO_RANK) heap.push(rank, i);
  }

  while (heap.size > 0) {
    const rank = heap.topRank();
    const i = heap.pop();
    if (pairRank[i] !== rank) continue;
    const j = next[i];
    const k = next[j];
    parts[i] = rank;
    next[i] = k;
    if (k < n) prev[k] = i;
    pairRank[j] = NO_RANK;
    pairRank[i] = k < n ? merges.pairRank(rank, parts[k]) : NO_RANK;
    if (pairRank[i] !== NO_RANK) heap.push(pairRank[i], i);
    const p = prev[i];
    if (p >= 0) {
      pairRank[p] = merges.pairRank(parts[p], rank);
      if (pairRank[p] !== NO_RANK) heap.push(pairRank[p], p);
    }
  }

  const boundaries: number[] = [];
  for (let i = 0; i < n; i = next[i]) boundaries.push(i);
  boundaries.push(n);
  return boundaries;
}

/** Binary min-heap of (rank, position) in typed arrays, ordered by rank then position (leftmost wins a tie). */
class PairHeap {
  private ranks: Int32Array;
  private positions: Int32Array;
  size = 0;

  constructor(capacity: number) {
    this.ranks = new Int32Array(Math.max(capacity, 16));
    this.positions = new Int32Array(Math.max(capacity, 16));
  }

  topRank(): number {
    return this.ranks[0];
  }

  push(rank: number, position: number): void {
    if (this.size === this.ranks.length) this.grow();
    const ranks = this.ranks;
    const positions = this.positions;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const parentRank = ranks[parent];
      if (parentRank < rank || (parentRank === rank && positions[parent] < position)) break;
      ranks[i] = parentRank;
      positions[i] = positions[parent];
      i = parent;
    }
    ranks[i] = rank;
    positions[i] = position;
  }

  /** Removes the smallest entry and returns its position. */
  pop(): number {
    const ranks = this.ranks;
    const positions = this.positions;
    const top = positions[0];
    const size = --this.size;
    if (size === 0) return top;
    const rank = ranks[size];
    const position = positions[size];
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      const right = child + 1;
      if (right < size && (ranks[right] < ranks[child] || (ranks[right] === ranks[child] && positions[right] < positions[child]))) child = right;
      if (rank < ranks[child] || (rank === ranks[child] && position < positions[child])) break;
      ranks[i] = ranks[child];
      positions[i] = positions[child];
      i = child;
    }
    ranks[i] = rank;
    positions[i] = position;
    return top;
  }

  private grow(): void {
    const ranks = new Int32Array(this.ranks.length * 2);
    const positions = new Int32Array(this.positions.length * 2);
    ranks.set(this.ranks);
    positions.set(this.positions);
    this.ranks = ranks;
    this.positions = positions;
  }
}
