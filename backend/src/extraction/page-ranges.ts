import type { PageRange } from './extracted-document.js';

/** Pages `first` to `last` of a paginated document (1-based, inclusive; clamped to the document). */
export interface PageSpan {
  first: number;
  last: number;
}

/** Separates pages in the joined text, so no chunk boundary falls mid-word across pages. */
export const PAGE_SEPARATOR = '\n\n';

/**
 * Joins page texts into one text and records where each page sits in it. Pages without text get
 * no range and no separator. `pages[0]` is page `firstPage`.
 */
export function joinPages(pages: readonly string[], firstPage = 1): { text: string; ranges: PageRange[] } {
  const parts: string[] = [];
  const ranges: PageRange[] = [];
  let offset = 0;
  pages.forEach((page, index) => {
    if (page === '') return;
    if (parts.length > 0) {
      parts.push(PAGE_SEPARATOR);
      offset += PAGE_SEPARATOR.length;
    }
    parts.push(page);
    ranges.push({ page: firstPage + index, start: offset, end: offset + page.length });
    offset += page.length;
  });
  return { text: parts.join(''), ranges };
}
