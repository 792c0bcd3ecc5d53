/**
 * Ranking metrics of one query, as trec_eval (and pytrec_eval, which BEIR uses) computes them.
 * `ranked` lists document ids best first; `judged` maps a document id to its graded relevance
 * (absent or <= 0: not relevant). An id that appears again in `ranked` counts once, at its first
 * position: the repeats are dropped before the cut at k, as when a search returns several chunks
 * of the same document.
 */

export type Ranking = readonly string[];
export type Judgements = ReadonlyMap<string, number>;

/** The first `k` distinct ids of `ranked`. */
function topDistinct(ranked: Ranking, k: number): string[] {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  const seen = new Set<string>();
  for (const id of ranked) {
    if (seen.size === k) break;
    seen.add(id);
  }
  return [...seen];
}

const gainOf = (judged: Judgements, id: string): number => Math.max(judged.get(id) ?? 0, 0);

/** Discounted cumulative gain of gains listed best first: sum of gain / log2(rank + 1), rank from 1. */
function dcg(gains: readonly number[]): number {
  return gains.reduce((sum, gain, i) => sum + gain / Math.log2(i + 2), 0);
}

/**
 * nDCG@k (trec_eval's ndcg_cut.k): the gain of a document is its grade, discounted by
 * log2(rank + 1), divided by the DCG of the judged grades in the best possible order (cut at k
 * as well). 0 when the query has no relevant document.
 */
export function ndcgAt(ranked: Ranking, judged: Judgements, k: number): number {
  const ideal = dcg(
    [...judged.values()]
      .filter((grade) => grade > 0)
      .sort((a, b) => b - a)
      .slice(0, k),
  );
  const actual = dcg(topDistinct(ranked, k).map((id) => gainOf(judged, id)));
  return ideal === 0 ? 0 : actual / ideal;
}

/** Recall@k: the share of the relevant documents (grade > 0) found among the first k; 0 when there are none. */
export function recallAt(ranked: Ranking, judged: Judgements, k: number): number {
  let relevant = 0;
  for (const grade of judged.values()) if (grade > 0) relevant++;
  if (relevant === 0) return 0;
  const found = topDistinct(ranked, k).filter((id) => gainOf(judged, id) > 0).length;
  return found / relevant;
}

/** MRR@k: 1 / rank of the first relevant document (grade > 0) among the first k, else 0. */
export function mrrAt(ranked: Ranking, judged: Judgements, k: number): number {
  const rank = topDistinct(ranked, k).findIndex((id) => gainOf(judged, id) > 0);
  return rank === -1 ? 0 : 1 / (rank + 1);
}

/** The arithmetic mean; throws on an empty list, whose mean would be NaN. */
export function mean(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('mean of an empty list');
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/**
 * The nearest-rank percentile: the smallest value with at least p percent of the values at or
 * below it (p = 0 gives the minimum, p = 100 the maximum). `values` need not be sorted.
 */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of an empty list');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within [0, 100], got ${p}`);
  const sorted = [...values].sort((a, b) => a - b);
  // p * n / 100 is exact for whole p; the tolerance keeps e.g. 99.9 * 1000 / 100 at rank 999
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100 - 1e-9));
  return sorted[rank - 1];
}
