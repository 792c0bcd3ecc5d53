import { BM25_K1, type WeightedTerm } from '../embeddings/chunk-search.sql.js';
import type { KeywordStats } from '../embeddings/embedding-chunk.js';

/**
 * A term held by more than this share of a tenant's chunks is common: it is still scored, but the
 * chunks holding it are not all read unless they might rank (see planBm25).
 */
export const COMMON_TERM_SHARE = 0.1;

/** BM25's inverse document frequency (the Lucene form, never negative) of a term held by `holding` of `chunks`. */
export const inverseDocumentFrequency = (chunks: number, holding: number): number => Math.log(1 + (chunks - holding + 0.5) / (holding + 0.5));

/**
 * How a keyword query is scored (MaxScore, Turtle & Flood 1995). A term's BM25 contribution is
 * below idf x (k1 + 1) whatever its frequency and the chunk's length, so a chunk holding only
 * common terms scores below `commonCeiling`. Scoring only the chunks that hold a rare term gives
 * the exact top list whenever its last score is above that ceiling; otherwise every chunk holding
 * any term is scored.
 */
export interface Bm25Plan {
  /** Every lexeme of the query with its weight. */
  terms: WeightedTerm[];
  /** The lexemes held by at most COMMON_TERM_SHARE of the chunks (or by none). */
  rare: string[];
  common: string[];
  /** The most a chunk holding none of the rare terms can score. */
  commonCeiling: number;
}

export function planBm25(stats: KeywordStats): Bm25Plan {
  const chunks = stats.corpus.chunks;
  const terms = stats.terms.map((t) => ({ lexeme: t.lexeme, idf: inverseDocumentFrequency(chunks, t.chunks) }));
  const isCommon = (holding: number): boolean => holding > COMMON_TERM_SHARE * chunks;
  const common = stats.terms.filter((t) => isCommon(t.chunks)).map((t) => t.lexeme);
  const rare = stats.terms.filter((t) => !isCommon(t.chunks)).map((t) => t.lexeme);
  const commonCeiling = terms.filter((t) => common.includes(t.lexeme)).reduce((sum, t) => sum + t.idf * (BM25_K1 + 1), 0);
  return { terms, rare, common, commonCeiling };
}
