import { DEFAULT_CHUNKING, type Chunk, type ChunkInput, type ChunkingOptions } from './chunk.js';
import { hardCut, MAX_CODE_POINT_TOKENS } from './hard-cut.js';
import { overlapStarts } from './overlap.js';
import { PageLookup } from './page-lookup.js';
import { parseBlocks, splitLines, splitSentences, splitWords, type BlockKind, type Span } from './text-structure.js';
import { TokenIndex } from './token-index.js';
import { countTokens } from './tokenizer.js';

/** What a unit of text is; each kind splits into the next finer one when it does not fit. */
type UnitKind = BlockKind | 'line' | 'sentence' | 'word' | 'cut';

interface Unit extends Span {
  kind: UnitKind;
  /** Part of a heading line. */
  heading: boolean;
  /** Starts a section: always begins a new chunk, which repeats nothing of the previous one. */
  sectionStart: boolean;
  /** Exact token count, when known (hard cuts). */
  tokens?: number;
}

interface OpenChunk extends Span {
  units: Unit[];
  /** Estimated tokens of [start, end). */
  tokens: number;
  budget: number;
  /** Every unit is part of a heading (kept up to date rather than rescanned: a chunk may hold thousands of words). */
  onlyHeadings: boolean;
}

interface Core extends Span {
  tokens: number;
  sectionStart: boolean;
}

// An estimate can be off near cut edges; past this many exact re-checks, a chunk goes without overlap.
const MAX_OVERLAP_ATTEMPTS = 6;
// Above the model's input limit a chunk could never be embedded.
const MAX_CHUNK_TOKENS = 8191;

/**
 * Splits a document into chunks of at most `chunkTokens` cl100k tokens, preferring structure
 * over hard limits: a heading starts a new chunk; whole paragraphs, and tables whole when they
 * fit one chunk, are packed together; a block too large for the space left is split into
 * lines, then sentences, then words, and only then cut between tokens. Each chunk after the
 * first of a section starts with up to `overlapTokens` of the previous chunk's tail.
 *
 * Runs in O(n log n) for every script: the text is tokenised once up front, chunk sizes are
 * planned from prefix sums over that pass, text without spaces is cut on the token ends of a
 * window just past each piece, and each emitted chunk is counted exactly once (twice with
 * overlap). The work meter (work-meter.ts) lets tests hold it to that.
 */
export function chunkText(input: ChunkInput, options: ChunkingOptions = DEFAULT_CHUNKING): Chunk[] {
  const { chunkTokens, overlapTokens } = validateOptions(options);
  const { text } = input;
  const index = new TokenIndex(text);
  const cores = planCores(text, index, chunkTokens, overlapTokens);
  const pages = new PageLookup(input.pages);

  return cores.map((core, position) => {
    let start = core.start;
    let tokenCount = core.tokens;
    const previous = cores[position - 1];
    if (previous !== undefined && !core.sectionStart) {
      const budget = Math.min(overlapTokens, chunkTokens - core.tokens);
      for (const candidate of overlapStarts(text, index, previous, core.start, budget).slice(0, MAX_OVERLAP_ATTEMPTS)) {
        if (countTokens(text.slice(candidate, previous.end)) > budget) continue;
        const total = countTokens(text.slice(candidate, core.end));
        if (total > chunkTokens) continue;
        start = candidate;
        tokenCount = total;
        break;
      }
    }
    return {
      position,
      text: text.slice(start, core.end),
      tokenCount,
      charStart: start,
      charEnd: core.end,
      pageNumber: pages.pageOf(start, core.end),
      pageEnd: pages.lastPageOf(start, core.end),
    };
  });
}

function validateOptions(options: ChunkingOptions): ChunkingOptions {
  const { chunkTokens, overlapTokens } = options;
  if (!Number.isInteger(chunkTokens) || chunkTokens < 2 * MAX_CODE_POINT_TOKENS || chunkTokens > MAX_CHUNK_TOKENS) {
    throw new RangeError(`chunkTokens must be an integer from ${2 * MAX_CODE_POINT_TOKENS} to ${MAX_CHUNK_TOKENS}, got ${chunkTokens}`);
  }
  // Half the chunk at most, so every chunk still advances through the text by a useful amount.
  if (!Number.isInteger(overlapTokens) || overlapTokens < 0 || overlapTokens > chunkTokens / 2) {
    throw new RangeError(`overlapTokens must be an integer from 0 to chunkTokens / 2, got ${overlapTokens}`);
  }
  return { chunkTokens, overlapTokens };
}

/** The chunks' own text (without overlap): consecutive, non-overlapping, each exactly counted. */
function planCores(text: string, index: TokenIndex, chunkTokens: number, overlapTokens: number): Core[] {
  const cores: Core[] = [];
  // A stack: the next unit to place is on top, so splits push their parts in reverse.
  const work: Unit[] = parseBlocks(text)
    .map((block): Unit => ({ ...block, heading: block.kind === 'heading', sectionStart: block.kind === 'heading' }))
    .reverse();
  let open: OpenChunk | null = null;

  const continuedBudget = chunkTokens - overlapTokens;
  const budgetOpenedBy = (unit: Unit): number => (cores.length === 0 || unit.sectionStart ? chunkTokens : continuedBudget);
  const tokensOf = (unit: Unit): number => unit.tokens ?? index.estimate(unit.start, unit.end);
  // A table may take a whole chunk, leaving less room for overlap, rather than be split.
  const fitsAlone = (unit: Unit, budget: number): boolean => tokensOf(unit) <= (unit.kind === 'table' ? chunkTokens : budget);
  const pushAll = (units: Unit[]): void => {
    for (let i = units.length - 1; i >= 0; i--) work.push(units[i]);
  };

  const split = (unit: Unit, firstBudget: number, budget: number): Unit[] => {
    const derived = (span: Span, i: number, kind: UnitKind, tokens?: number): Unit => ({
      ...span,
      kind,
      heading: unit.heading,
      sectionStart: unit.sectionStart && i === 0,
      ...(tokens === undefined ? {} : { tokens }),
    });
    const finer: [UnitKind, (text: string, span: Span) => Span[]][] = [
      ['line', splitLines],
      ['sentence', splitSentences],
      ['word', splitWords],
    ];
    const from = { heading: 1, paragraph: 0, table: 0, code: 0, line: 1, sentence: 2, word: 3, cut: 3 }[unit.kind];
    for (const [kind, splitter] of finer.slice(from)) {
      const parts = splitter(text, unit);
      if (parts.length > 1) return parts.map((part, i) => derived(part, i, kind));
    }
    return hardCut(text, unit, firstBudget, budget, index).map((part, i) => derived(part, i, 'cut', part.tokens));
  };

  const close = (): void => {
    if (open === null) return;
    const chunk: OpenChunk = open;
    open = null;
    for (;;) {
      const only = chunk.units.length === 1 ? chunk.units[0] : undefined;
      const exact = only?.tokens ?? countTokens(text.slice(chunk.start, chunk.end));
      if (exact <= chunk.budget) {
        cores.push({ start: chunk.start, end: chunk.end, tokens: exact, sectionStart: cores.length === 0 || chunk.units[0].sectionStart });
        return;
      }
      if (chunk.units.length > 1) {
        // The estimate was optimistic: hand the last units, about as many tokens as the excess, to
        // the next chunk. Not one at a time: each try re-counts the whole chunk.
        let excess = exact - chunk.budget;
        while (excess > 0 && chunk.units.length > 1) {
          const last = chunk.units.pop();
          if (last === undefined) break;
          work.push(last);
          excess -= tokensOf(last);
        }
        chunk.end = chunk.units[chunk.units.length - 1].end;
        continue;
      }
      pushAll(split(chunk.units[0], chunk.budget, continuedBudget));
      return;
    }
  };

  while (work.length > 0) {
    const unit = work.pop();
    if (unit === undefined) break;
    const current: OpenChunk | null = open;

    if (current === null) {
      const budget = budgetOpenedBy(unit);
      if (fitsAlone(unit, budget)) {
        const tokens = tokensOf(unit);
        const roomy = unit.kind === 'table' && tokens > budget;
        open = { start: unit.start, end: unit.end, units: [unit], tokens, budget: roomy ? chunkTokens : budget, onlyHeadings: unit.heading };
      } else {
        pushAll(split(unit, budget, continuedBudget));
      }
      continue;
    }

    const { onlyHeadings } = current;
    if (unit.sectionStart && !onlyHeadings) {
      work.push(unit);
      close();
      continue;
    }
    const gap = index.estimate(current.end, unit.start);
    const tokens = tokensOf(unit);
    if (current.tokens + gap + tokens <= current.budget) {
      current.units.push(unit);
      current.end = unit.end;
      current.tokens += gap + tokens;
      current.onlyHeadings &&= unit.heading;
      continue;
    }
    // It does not fit in what is left. Keep it whole in the next chunk if it fits there and this
    // chunk is already half full; otherwise split it to fill this one, so that no tiny chunk (a
    // lone heading, a one-line intro) is left behind. A table stays whole whenever it can.
    const nextBudget = unit.sectionStart ? chunkTokens : continuedBudget;
    const halfFull = !onlyHeadings && current.tokens * 2 >= current.budget;
    if (fitsAlone(unit, nextBudget) && (halfFull || unit.kind === 'table')) {
      work.push(unit);
      close();
      continue;
    }
    const parts = split(unit, current.budget - current.tokens - gap, nextBudget);
    if (parts.length === 1) {
      work.push(unit);
      close();
      continue;
    }
    pushAll(parts);
  }
  close();
  return cores;
}

// The chunking module's public surface, in one import.
export { DEFAULT_CHUNKING, type Chunk, type ChunkInput, type ChunkingOptions, type PageRange } from './chunk.js';
export { countTokens } from './tokenizer.js';
