import { countTokens, tokenEnds } from '../chunking/tokenizer.js';
import { type Passage, shortenPassage } from './passages.js';

/** A numbered source of a packed context: the passage as included (cut short when `truncated`). */
export interface ContextSource extends Passage {
  number: number;
  truncated: boolean;
}

export interface PackedContext {
  /** The passages, each under its `[n]` marker and a line naming its source, separated by blank lines. */
  context: string;
  sources: ContextSource[];
  /** cl100k_base tokens of `context`, counted on the whole string: never above the budget. */
  tokens: number;
}

const SEPARATOR = '\n\n';
/** A passage that does not fit whole is cut to fit only if at least this many tokens are left for it. */
export const MIN_PARTIAL_TOKENS = 48;

const oneLine = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** `[n] Title (file, pages 4-5)`: the marker a citation refers to, and where the passage comes from. */
export function sourceLine(number: number, passage: Passage): string {
  const where: string[] = [];
  const origin = passage.filename ?? passage.sourceUrl;
  if (origin) where.push(oneLine(origin));
  if (passage.pageStart !== null) {
    const end = passage.pageEnd ?? passage.pageStart;
    where.push(end > passage.pageStart ? `pages ${passage.pageStart}-${end}` : `page ${passage.pageStart}`);
  }
  return `[${number}] ${oneLine(passage.title)}${where.length > 0 ? ` (${where.join(', ')})` : ''}`;
}

const block = (number: number, passage: Passage, text: string): string => `${sourceLine(number, passage)}\n${text}`;

/**
 * The longest start of `text` costing at most `budget` tokens as the end of `prefix` (counted
 * together), ending at a sentence or line end when one lies in its last third, else at a word end.
 */
function cut(prefix: string, text: string, budget: number): string {
  const { offsets } = tokenEnds(text);
  const base = countTokens(prefix);
  // token ends are counted on the text alone: step back until the joined count fits too
  let i = Math.min(budget, offsets.length) - 1;
  const headAt = (n: number): string => (n >= 0 ? text.slice(0, offsets[n]) : '');
  while (i >= 0 && countTokens(prefix + headAt(i)) - base > budget) i--;
  const head = headAt(i);
  const floor = Math.floor((head.length * 2) / 3);
  const sentence = Math.max(head.lastIndexOf('. '), head.lastIndexOf('.\n'), head.lastIndexOf('\n'), head.lastIndexOf('。'));
  if (sentence >= floor && sentence > 0) return head.slice(0, sentence + 1).trimEnd();
  const word = head.search(/\s\S*$/);
  return (word >= floor && word > 0 ? head.slice(0, word) : head).trimEnd();
}

/**
 * Packs passages (best first) into at most `maxTokens` cl100k_base tokens: whole passages in
 * order while they fit; a passage that does not fit is skipped for smaller ones after it, except
 * that when at least MIN_PARTIAL_TOKENS remain it is cut to fit and packing ends.
 *
 * Counting: a block starts with `[` after a blank line, where cl100k's pre-tokenisation always
 * starts a new piece, so the context costs the sum of (block + blank line) over all blocks but
 * the last, plus the last block: each block is counted once, not the whole context per step.
 * `tokens` is then counted on the whole context, so it is exact whatever that reasoning misses,
 * and a context that came out above the budget loses its last source.
 */
export function packContext(passages: readonly Passage[], maxTokens: number): PackedContext {
  const blocks: string[] = [];
  const sources: ContextSource[] = [];
  /** Tokens of every block but the last, each with its separator. */
  let closed = 0;
  let last = 0;
  /** Tokens of the last block with a separator after it: counted once, however many passages are tried after it. */
  let closing = 0;
  for (const passage of passages) {
    const number = sources.length + 1;
    const whole = block(number, passage, passage.text);
    const wholeTokens = countTokens(whole);
    if (closing + closed + wholeTokens <= maxTokens) {
      closed += closing;
      last = wholeTokens;
      closing = countTokens(whole + SEPARATOR);
      blocks.push(whole);
      sources.push({ ...passage, number, truncated: false });
      continue;
    }
    if (maxTokens - closed - last < MIN_PARTIAL_TOKENS) continue;
    // the source line names the pages of what is kept: cut the text, then write the line for it
    const fullHead = block(number, passage, '');
    const left = maxTokens - closed - closing - countTokens(fullHead);
    if (left <= 0) continue;
    const kept = shortenPassage(passage, cut(fullHead, passage.text, left).length);
    if (kept.text.length === 0) continue;
    blocks.push(block(number, kept, kept.text));
    sources.push({ ...kept, number, truncated: true });
    break;
  }
  for (;;) {
    const context = blocks.join(SEPARATOR);
    const tokens = countTokens(context);
    if (tokens <= maxTokens || blocks.length === 0) return { context, sources, tokens };
    blocks.pop();
    sources.pop();
  }
}
