import type { ChunkedText } from './chunked-text.js';
import { PAGE_SEPARATOR } from './page-ranges.js';
import { textTooLarge } from './text-limit.js';

/**
 * Places the chunks of a document extracted in parts (a big PDF's page spans, each extracted and
 * chunked on its own) in the whole document, in order: positions continue from the previous
 * part's, character offsets index the text the parts make joined as one (pages with text
 * separated as `joinPages` separates them). Checks the text limit over the whole document.
 */
export class PartAssembler {
  private length = 0;
  private chunks = 0;

  constructor(private readonly maxTextChars: number) {}

  /** Characters of the whole text so far. */
  get textLength(): number {
    return this.length;
  }

  get chunkCount(): number {
    return this.chunks;
  }

  /** The next part's chunks, as positioned in the whole document. */
  place(part: { textLength: number; chunks: ChunkedText }): ChunkedText {
    if (part.textLength === 0) return [];
    const base = this.length === 0 ? 0 : this.length + PAGE_SEPARATOR.length;
    if (base + part.textLength > this.maxTextChars) throw textTooLarge(this.maxTextChars);
    const placed = part.chunks.map((chunk) => ({
      ...chunk,
      position: this.chunks + chunk.position,
      charStart: base + chunk.charStart,
      charEnd: base + chunk.charEnd,
    }));
    this.length = base + part.textLength;
    this.chunks += part.chunks.length;
    return placed;
  }
}
