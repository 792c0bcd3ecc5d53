/** A ranked list's contribution to the fusion. */
export interface RankedList {
  ids: readonly string[];
  weight: number;
}

export interface FusedItem {
  id: string;
  score: number;
  /** 1-based rank in each input list, null where that list lacks the id. */
  ranks: (number | null)[];
}

/**
 * Reciprocal rank fusion (Cormack, Clarke and Büttcher, 2009): each id scores the sum over the
 * lists holding it of weight / (k + rank). Needs no score calibration between lists (a BM25 score
 * and a cosine similarity are not comparable), only their orders. Best first; ties broken by the
 * better rank in the earlier list, then by id, so the order is deterministic.
 */
export function reciprocalRankFusion(lists: readonly RankedList[], k: number): FusedItem[] {
  const fused = new Map<string, FusedItem>();
  lists.forEach((list, index) => {
    list.ids.forEach((id, position) => {
      const rank = position + 1;
      let item = fused.get(id);
      if (item === undefined) {
        item = { id, score: 0, ranks: lists.map(() => null) };
        fused.set(id, item);
      }
      if (item.ranks[index] !== null) return; // a list naming an id twice counts its best rank
      item.ranks[index] = rank;
      item.score += list.weight / (k + rank);
    });
  });
  const firstRank = (item: FusedItem): number => item.ranks.find((r) => r !== null) ?? Number.MAX_SAFE_INTEGER;
  return [...fused.values()].sort((a, b) => b.score - a.score || firstRank(a) - firstRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
