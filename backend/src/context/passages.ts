import type { SearchHit } from '../search/search-request.js';

export interface PassageChunk {
  id: string;
  charStart: number;
  charEnd: number;
  pageStart: number | null;
  pageEnd: number | null;
}

/**
 * A stretch of one document's extracted text made of one or more retrieved chunks: chunks that
 * overlap or touch (neighbours share their overlap) become one passage, so nothing is repeated.
 */
export interface Passage {
  /** The best (lowest) 1-based search rank among its chunks. */
  rank: number;
  /** The best search score among its chunks. */
  score: number;
  /** Its chunks, in document order, with the part of the text and the pages each covers. */
  chunks: PassageChunk[];
  knowledgeBaseId: string;
  title: string;
  documentId: string;
  filename: string | null;
  sourceUrl: string | null;
  pageStart: number | null;
  pageEnd: number | null;
  /** `text` is the document's extracted text from charStart to charEnd (exclusive). */
  charStart: number;
  charEnd: number;
  text: string;
}

const minOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.min(a, b));
const maxOf = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

const chunkOf = (hit: SearchHit): PassageChunk => ({ id: hit.chunkId, charStart: hit.charStart, charEnd: hit.charEnd, pageStart: hit.pageStart, pageEnd: hit.pageEnd });

/** The passage cut to its first `length` characters: the chunks and pages of what is left. */
export function shortenPassage(passage: Passage, length: number): Passage {
  const charEnd = passage.charStart + length;
  const chunks = passage.chunks.filter((c) => c.charStart < charEnd);
  return {
    ...passage,
    text: passage.text.slice(0, length),
    charEnd,
    chunks,
    pageStart: chunks.reduce<number | null>((page, c) => minOf(page, c.pageStart), null),
    pageEnd: chunks.reduce<number | null>((page, c) => maxOf(page, c.pageEnd), null),
  };
}

const byRank = (a: Passage, b: Passage): number => a.rank - b.rank || a.documentId.localeCompare(b.documentId) || a.charStart - b.charStart;

/**
 * Merges the hits (in rank order) of each document that overlap or touch into passages, and
 * returns the passages best rank first. A chunk's content is exactly its document's text between
 * its offsets, so the merged text is the document's text over the union of their ranges.
 */
export function mergeNeighbours(hits: readonly SearchHit[]): Passage[] {
  const byDocument = new Map<string, { hit: SearchHit; rank: number }[]>();
  hits.forEach((hit, i) => {
    const list = byDocument.get(hit.documentId) ?? [];
    list.push({ hit, rank: i + 1 });
    byDocument.set(hit.documentId, list);
  });
  const passages: Passage[] = [];
  for (const list of byDocument.values()) {
    list.sort((a, b) => a.hit.charStart - b.hit.charStart || a.hit.charEnd - b.hit.charEnd);
    let current: Passage | undefined;
    for (const { hit, rank } of list) {
      if (current && hit.charStart <= current.charEnd) {
        if (hit.charEnd > current.charEnd) {
          current.text += hit.content.slice(current.charEnd - hit.charStart);
          current.charEnd = hit.charEnd;
        }
        current.rank = Math.min(current.rank, rank);
        current.score = Math.max(current.score, hit.score);
        current.chunks.push(chunkOf(hit));
        current.pageStart = minOf(current.pageStart, hit.pageStart);
        current.pageEnd = maxOf(current.pageEnd, hit.pageEnd);
        continue;
      }
      current = {
        rank,
        score: hit.score,
        chunks: [chunkOf(hit)],
        knowledgeBaseId: hit.knowledgeBaseId,
        title: hit.title,
        documentId: hit.documentId,
        filename: hit.filename,
        sourceUrl: hit.sourceUrl,
        pageStart: hit.pageStart,
        pageEnd: hit.pageEnd,
        charStart: hit.charStart,
        charEnd: hit.charEnd,
        text: hit.content,
      };
      passages.push(current);
    }
  }
  return passages.sort(byRank);
}

/** Scripts written without spaces between words: each character counts as a word. */
const UNSPACED = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const WORD = /[\p{L}\p{N}]+/gu;
const SHINGLE_WORDS = 5;

/** The passage's overlapping runs of five words, on its case-folded text. */
function shingles(text: string): Set<string> {
  const words: string[] = [];
  for (const [word] of text.normalize('NFKC').toLowerCase().matchAll(WORD)) {
    if (UNSPACED.test(word)) words.push(...Array.from(word));
    else words.push(word);
  }
  if (words.length < SHINGLE_WORDS) return new Set([words.join(' ')]);
  const set = new Set<string>();
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) set.add(words.slice(i, i + SHINGLE_WORDS).join(' '));
  return set;
}

/** Share of the smaller set's shingles that the larger one holds. */
function containment(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  if (small.size === 0) return 0;
  let shared = 0;
  for (const s of small) if (large.has(s)) shared++;
  return shared / small.size;
}

/**
 * Drops each passage whose text another, better-ranked passage already holds (at least
 * `threshold` of the smaller one's five-word runs): the same paragraph in two uploads, a page
 * quoted in a summary. Keeps rank order.
 */
export function dropNearDuplicates(passages: readonly Passage[], threshold = 0.8): Passage[] {
  const kept: { passage: Passage; shingles: Set<string> }[] = [];
  for (const passage of passages) {
    const own = shingles(passage.text);
    if (kept.some((k) => containment(k.shingles, own) >= threshold)) continue;
    kept.push({ passage, shingles: own });
  }
  return kept.map((k) => k.passage);
}
