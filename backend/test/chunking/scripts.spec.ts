import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

import { chunkText, countTokens, DEFAULT_CHUNKING, type Chunk, type ChunkingOptions } from '../../src/chunking/chunker.js';
import { base64Blob, chineseProse, emojiRun, japaneseProse, letterRun, randomCjk, seededRandom, thaiText } from './random-text.js';

const reference = new Tiktoken(cl100k);
/** js-tiktoken's count: the ground truth, independent of our tokenizer. */
const referenceCount = (text: string): number => reference.encode(text, [], []).length;

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char);

interface Clusters {
  boundaries: Set<number>;
  clusterAt: (offset: number) => string;
}

const clustersByText = new Map<string, Clusters>();

/**
 * Grapheme cluster boundaries of the whole text, from Intl.Segmenter in one go: the reference,
 * independent of the chunker's windowed segmenting (and slow: V8 takes O(length) per segment).
 */
function clusterEnds(text: string): Clusters {
  const known = clustersByText.get(text);
  if (known !== undefined) return known;
  const segments = [...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)];
  const boundaries = new Set([...segments.map((s) => s.index), text.length]);
  const starts = segments.map((s) => s.index);
  const clusterAt = (offset: number): string => {
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((starts[mid]) <= offset) low = mid;
      else high = mid - 1;
    }
    return segments[low]?.segment ?? '';
  };
  clustersByText.set(text, { boundaries, clusterAt });
  return { boundaries, clusterAt };
}

/** Everything a chunking of any script must hold, checked against js-tiktoken and Intl.Segmenter. */
function violations(text: string, chunks: Chunk[], options: ChunkingOptions): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: () => string): void => {
    if (!ok && problems.length < 5) problems.push(problem());
  };
  const clusters = /^[\x20-\x7e]*$/.test(text) ? null : clusterEnds(text);
  // A cut may fall inside a cluster only when that cluster alone exceeds a chunk. (Our count here:
  // a huge cluster is one huge piece, which js-tiktoken merges in quadratic time.)
  const cutOk = (offset: number): boolean =>
    clusters === null || clusters.boundaries.has(offset) || countTokens(clusters.clusterAt(offset)) > options.chunkTokens - options.overlapTokens;
  let covered = 0;
  chunks.forEach((chunk, i) => {
    const at = `chunk ${i} [${chunk.charStart}, ${chunk.charEnd})`;
    check(chunk.position === i, () => `${at}: position ${chunk.position}`);
    check(chunk.text === text.slice(chunk.charStart, chunk.charEnd) && chunk.text.length > 0, () => `${at}: not a non-empty slice`);
    const tokens = referenceCount(chunk.text);
    check(chunk.tokenCount === tokens, () => `${at}: tokenCount ${chunk.tokenCount}, js-tiktoken ${tokens}`);
    check(tokens <= options.chunkTokens, () => `${at}: ${tokens} tokens`);
    check(cutOk(chunk.charStart) && cutOk(chunk.charEnd), () => `${at}: cuts a grapheme cluster`);
    const previous = chunks[i - 1];
    if (previous !== undefined) {
      check(chunk.charStart > previous.charStart && chunk.charEnd > previous.charEnd, () => `${at}: does not advance`);
      if (chunk.charStart < previous.charEnd) {
        const overlap = referenceCount(text.slice(chunk.charStart, previous.charEnd));
        check(overlap <= options.overlapTokens, () => `${at}: overlap of ${overlap} tokens`);
      }
    }
    for (let p = covered; p < chunk.charStart; p++) check(isSpace(text[p]), () => `offset ${p} is in no chunk`);
    covered = Math.max(covered, chunk.charEnd);
  });
  for (let p = covered; p < text.length; p++) check(isSpace(text[p]), () => `offset ${p} is in no chunk`);
  return problems;
}

const OPTION_SETS: ChunkingOptions[] = [DEFAULT_CHUNKING, { chunkTokens: 64, overlapTokens: 8 }, { chunkTokens: 16, overlapTokens: 8 }];

function expectChunkedExactly(text: string): void {
  for (const options of OPTION_SETS) {
    const chunks = chunkText({ text }, options);
    expect({ options, problems: violations(text, chunks, options) }).toEqual({ options, problems: [] });
  }
  // Coverage and the token bound already imply it; this guards against a text too small to cut.
  expect(chunkText({ text }, { chunkTokens: 64, overlapTokens: 8 }).length).toBeGreaterThan(3);
}

describe('chunkText on scripts without spaces', () => {
  it('chunks 2,000 random Chinese characters (the 6 KB text that timed out) and 6,000 more', () => {
    expectChunkedExactly(randomCjk(seededRandom(2000), 2_000));
    expectChunkedExactly(randomCjk(seededRandom(6000), 6_000));
  });

  it('chunks Chinese prose with ，、。', () => {
    expectChunkedExactly(chineseProse(seededRandom(1), 12_000));
  });

  it('chunks Japanese mixed kana and kanji', () => {
    expectChunkedExactly(japaneseProse(seededRandom(2), 10_000));
  });

  it('chunks Thai, whose words run together and carry combining vowels and tone marks', () => {
    expectChunkedExactly(thaiText(seededRandom(3), 10_000));
  });

  it('chunks a long base64 string and one huge word', () => {
    expectChunkedExactly(base64Blob(seededRandom(4), 20_000));
    expectChunkedExactly(letterRun(seededRandom(5), 12_000));
  });

  it('chunks a run of emoji sequences (ZWJ families, skin tones, flags) without splitting one', () => {
    expectChunkedExactly(emojiRun(seededRandom(6), 6_000));
  });

  it('cuts one ZWJ cluster larger than a chunk between code points, never inside a surrogate pair', () => {
    const text = emojiRun(seededRandom(7), 3_000, true);
    expect([...new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(text)].length).toBeLessThan(3);
    expectChunkedExactly(text);
  });

  it('splits a long run of punctuation with nothing after it', () => {
    // Each run is one pre-tokenised piece, which js-tiktoken (the reference) merges in quadratic time: kept short.
    expectChunkedExactly(`${'.!?'.repeat(2_000)}x`);
    expectChunkedExactly(`${'!?…'.repeat(600)}。${'.…'.repeat(900)}”x`);
  });
});
