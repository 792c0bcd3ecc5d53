import type { PageRange } from './chunk.js';

/** Page numbers of text offsets, from the extractor's page ranges (in any order). */
export class PageLookup {
  private readonly pages: readonly PageRange[];

  constructor(pages: readonly PageRange[] | undefined) {
    this.pages = [...(pages ?? [])].sort((a, b) => a.start - b.start);
  }

  /**
   * The page containing `start`; when `start` falls between pages (a page separator), the next
   * page if the chunk reaches it, since that is where its content begins.
   */
  pageOf(start: number, end: number): number | null {
    const found = this.lastStartingBefore(start + 1);
    const containing = found >= 0 ? this.pages[found] : undefined;
    if (containing !== undefined && start < containing.end) return containing.page;
    const following = this.pages[found + 1];
    return following !== undefined && following.start < end ? following.page : null;
  }

  /** The last page whose text [start, end) reaches into; null when it reaches none. */
  lastPageOf(start: number, end: number): number | null {
    const found = this.lastStartingBefore(end);
    const last = found >= 0 ? this.pages[found] : undefined;
    return last !== undefined && last.end > start ? last.page : null;
  }

  /** Index of the last page starting before `offset` (binary search), -1 when none does. */
  private lastStartingBefore(offset: number): number {
    let low = 0;
    let high = this.pages.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (this.pages[mid].start < offset) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  }
}
