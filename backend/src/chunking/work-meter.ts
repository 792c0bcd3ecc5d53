/**
 * Work done by the tokenizer and by Intl.Segmenter, in characters, since the last reset. Tests
 * assert from it that chunking stays linear in the text's length: a wall-clock bound would be
 * flaky on a busy machine, and a quadratic path shows up here long before it shows up in time.
 */
export interface ChunkingWork {
  /** Characters pre-tokenised: every count or tokenisation scans its whole input once. */
  tokenizedChars: number;
  /** UTF-8 bytes byte-pair merged (pieces answered from the count cache are not merged again). */
  mergedBytes: number;
  /** Characters handed to Intl.Segmenter. */
  segmentedChars: number;
  /**
   * Segments Intl.Segmenter yielded, each weighted by the length of the string it came from:
   * V8 spends time in proportion to that, so a long string with many segments is quadratic.
   */
  segmenterCost: number;
}

export const chunkingWork: ChunkingWork = { tokenizedChars: 0, mergedBytes: 0, segmentedChars: 0, segmenterCost: 0 };

export function resetChunkingWork(): void {
  chunkingWork.tokenizedChars = 0;
  chunkingWork.mergedBytes = 0;
  chunkingWork.segmentedChars = 0;
  chunkingWork.segmenterCost = 0;
}
