import { segmentingStart } from './grapheme-boundary.js';
import { boundariesIn, WORD_CONTEXT } from './segments.js';
import { isSentenceStart, isWhitespace, type Span } from './text-structure.js';
import type { TokenIndex } from './token-index.js';

/**
 * Where a chunk may start so that it repeats the tail of the previous chunk's own text
 * (`previous`) in at most `budget` tokens (estimated; the caller confirms exactly), best first:
 *
 * 1. whole sentences, earliest first, when they fill at least half the budget (when only a short
 *    final sentence fits, words reaching back into the sentence before it carry more context);
 * 2. word starts, earliest first;
 * 3. only when the tail has no word start within the budget (CJK, a URL): dictionary word
 *    boundaries from Intl.Segmenter, or failing those, grapheme boundaries.
 *
 * Never `previous.start` itself: a chunk that repeated all of the previous one would make it
 * redundant. Returns [] when nothing fits; the chunk then starts at its own text.
 */
export function overlapStarts(text: string, index: TokenIndex, previous: Span, coreStart: number, budget: number): number[] {
  if (budget <= 0) return [];
  const sentences: number[] = [];
  const words: number[] = [];
  let reach = previous.end;
  for (let p = previous.end - 1; p > previous.start; p--) {
    if (index.estimate(p, coreStart) > budget) break;
    reach = p;
    if (isWhitespace(text[p]) || !isWhitespace(text[p - 1])) continue;
    words.push(p);
    if (isSentenceStart(text, p, previous.start)) sentences.push(p);
  }
  sentences.reverse();
  words.reverse();

  const starts: number[] = [];
  const halfFull = new Set(sentences.filter((p) => index.estimate(p, coreStart) * 2 >= budget));
  starts.push(...halfFull, ...words.filter((p) => !halfFull.has(p)));
  if (starts.length > 0 || reach >= previous.end) return starts;

  // The tail is one word longer than the budget (CJK, a URL): cut it at a dictionary word
  // boundary, else between user-perceived characters. Segmenting starts a little earlier, where
  // a cluster certainly begins, so that `reach` itself may fall inside a word or cluster.
  const from = segmentingStart(text, Math.max(previous.start, reach - WORD_CONTEXT), previous.start);
  const usable = (offsets: number[]): number[] =>
    offsets.filter((p) => p >= reach && p > previous.start && p < previous.end && !isWhitespace(text[p]));
  const wordCuts = usable([from, ...boundariesIn(text, from, previous.end, 'word')]);
  return wordCuts.length > 0 ? wordCuts : usable([from, ...boundariesIn(text, from, previous.end, 'grapheme')]);
}
