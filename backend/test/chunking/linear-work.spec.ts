import { chunkText, DEFAULT_CHUNKING, type ChunkingOptions } from '../../src/chunking/chunker.js';
import { chunkingWork, resetChunkingWork, type ChunkingWork } from '../../src/chunking/work-meter.js';
import { base64Blob, chineseProse, emojiRun, japaneseProse, letterRun, randomCjk, seededRandom, thaiText } from './random-text.js';

/**
 * Chunking must do work linear in the text's length for every script. Time is no measure on a
 * busy CI machine, so these count what the tokenizer and Intl.Segmenter are handed instead: a
 * quadratic path (re-counting a whole candidate per shrink step, segmenting a whole span) grows
 * with the square of the length, and fails the per-character bound at the larger size.
 */

// Every character is tokenised a few times by design: by the token index, in the window a cut
// is planned in, in the exact count of its chunk, and again with the next chunk's overlap. The
// bounds leave room for the smallest chunks (16 tokens), where fixed margins weigh most; the
// code before this test measured 21,504 characters tokenised per character of 1,000 CJK ones.
const MAX_TOKENIZED_PER_CHAR = 10;
// UTF-8 takes up to 4 bytes a character (3 for CJK, Thai).
const MAX_MERGED_BYTES_PER_CHAR = 4 * MAX_TOKENIZED_PER_CHAR;
const MAX_SEGMENTED_PER_CHAR = 10;
// Intl.Segmenter costs O(length) per segment in V8, so a string with many segments must be short:
// segmenting whole spans cost ~length per character (33,257 for the 32,000 Thai characters below).
const MAX_SEGMENTER_COST_PER_CHAR = 512;

type Generator = (random: () => number, length: number) => string;

function workOf(text: string, options: ChunkingOptions): ChunkingWork {
  chunkText({ text: 'warm up' }, options);
  resetChunkingWork();
  const chunks = chunkText({ text }, options);
  expect(chunks.length).toBeGreaterThan(0);
  return { ...chunkingWork };
}

type PerChar = Record<'tokenized' | 'merged' | 'segmented' | 'segmenterCost', number>;

function workPerChar(text: string, options: ChunkingOptions): PerChar {
  const work = workOf(text, options);
  return {
    tokenized: work.tokenizedChars / text.length,
    merged: work.mergedBytes / text.length,
    segmented: work.segmentedChars / text.length,
    segmenterCost: work.segmenterCost / text.length,
  };
}

const BOUNDS: PerChar = {
  tokenized: MAX_TOKENIZED_PER_CHAR,
  merged: MAX_MERGED_BYTES_PER_CHAR,
  segmented: MAX_SEGMENTED_PER_CHAR,
  segmenterCost: MAX_SEGMENTER_COST_PER_CHAR,
};
// Work per character may vary a little with the text, but must not grow with its length.
const MAX_GROWTH = 1.5;

function overBounds(perChar: PerChar, size: number): string[] {
  const keys = Object.keys(BOUNDS) as (keyof PerChar)[];
  return keys.filter((key) => perChar[key] > BOUNDS[key]).map((key) => `${key} at ${size}: ${perChar[key].toFixed(2)} per char`);
}

/**
 * Work per character within the bounds at both sizes, and not growing from the smaller to the
 * larger. The smaller is checked first: quadratic code takes minutes over the larger.
 */
function expectLinearWork(generate: Generator, [small, large]: readonly [number, number], options: ChunkingOptions = DEFAULT_CHUNKING): void {
  const atSmall = workPerChar(generate(seededRandom(small), small), options);
  expect({ atSmall, failures: overBounds(atSmall, small) }).toEqual({ atSmall, failures: [] });
  const atLarge = workPerChar(generate(seededRandom(large), large), options);
  const keys = Object.keys(BOUNDS) as (keyof PerChar)[];
  const growth = keys
    .filter((key) => atLarge[key] > atSmall[key] * MAX_GROWTH + 0.5)
    .map((key) => `${key} grows from ${atSmall[key].toFixed(2)} to ${atLarge[key].toFixed(2)} per char`);
  expect({ atSmall, atLarge, failures: [...overBounds(atLarge, large), ...growth] }).toEqual({ atSmall, atLarge, failures: [] });
}

describe('chunking work is linear in the text length', () => {
  it('for random CJK without punctuation (one pre-tokenised piece, tokens ending inside characters)', () => {
    expectLinearWork(randomCjk, [1_000, 8_000]);
  });

  it('for Chinese prose with ，、。', () => {
    expectLinearWork(chineseProse, [4_000, 32_000]);
  });

  it('for Japanese mixed kana and kanji', () => {
    expectLinearWork(japaneseProse, [4_000, 32_000]);
  });

  it('for Thai without spaces', () => {
    expectLinearWork(thaiText, [4_000, 32_000]);
  });

  it('for a base64 blob and one huge word', () => {
    expectLinearWork(base64Blob, [8_000, 64_000]);
    expectLinearWork(letterRun, [8_000, 64_000]);
  });

  it('for emoji sequences, and one ZWJ cluster larger than a chunk', () => {
    expectLinearWork(emojiRun, [2_000, 16_000]);
    expectLinearWork((random, length) => emojiRun(random, length, true), [2_000, 16_000]);
  });

  it('with small chunks and the largest chunks allowed', () => {
    expectLinearWork(randomCjk, [1_000, 8_000], { chunkTokens: 16, overlapTokens: 8 });
    expectLinearWork(base64Blob, [40_000, 320_000], { chunkTokens: 8191, overlapTokens: 4095 });
  });
});
