/** One piece of a document, ready to embed. */
export interface Chunk {
  /** 0-based order within the document. */
  position: number;
  /** Exactly `input.text.slice(charStart, charEnd)`; begins with the overlap, if any. */
  text: string;
  /** cl100k_base tokens of `text`. */
  tokenCount: number;
  charStart: number;
  /** Exclusive. */
  charEnd: number;
  /** The page on which the chunk starts, when the input has page ranges. */
  pageNumber: number | null;
  /** The page on which the chunk ends (equal to pageNumber for a chunk within one page). */
  pageEnd: number | null;
}

/** Page `page` covers input.text[start, end) (end exclusive), as a PDF extractor reports it. */
export interface PageRange {
  page: number;
  start: number;
  end: number;
}

export interface ChunkInput {
  text: string;
  pages?: readonly PageRange[];
}

export interface ChunkingOptions {
  /** Upper bound on every chunk's tokenCount, overlap included. */
  chunkTokens: number;
  /** Upper bound on the tokens a chunk repeats from the end of the previous one. */
  overlapTokens: number;
}

/**
 * 512 tokens (~380 English words, a few paragraphs) is small enough that one chunk is about one
 * thing, so its embedding is not an average of unrelated topics and a search hit can be quoted
 * into an LLM prompt without blowing its context, yet large enough to carry the surrounding
 * context that makes a passage answerable; it is far below text-embedding-3-small's 8,191-token
 * input limit, so no chunk is ever rejected. A 64-token (~12%) overlap repeats the last sentence
 * or two of the previous chunk, so a statement that straddles a boundary is still found whole.
 */
export const DEFAULT_CHUNKING: Readonly<ChunkingOptions> = Object.freeze({ chunkTokens: 512, overlapTokens: 64 });
