/** Where a chunk stands in its document: its text and its position, pages and character offsets. */
export interface ChunkPlace {
  documentId: string;
  position: number;
  content: string;
  pageNumber: number | null;
  pageEnd: number | null;
  charStart: number;
  charEnd: number;
}

export interface NewEmbeddingChunk extends ChunkPlace {
  knowledgeBaseId: string;
  tokenCount: number;
  contentHash: string;
  model: string;
  vector: readonly number[];
}

/** A chunk's place in one ranked list: its distance (semantic) or score (keyword). */
export interface RankedChunk {
  id: string;
  value: number;
}

/** BM25's corpus statistics of a tenant: its chunks and their mean length in tokens. */
export interface CorpusStats {
  chunks: number;
  meanTokens: number;
}

/** How many of a tenant's chunks hold a lexeme: BM25's document frequency. */
export interface TermFrequency {
  lexeme: string;
  chunks: number;
}

/** What BM25 needs to know before scoring a query: the query's lexemes with their frequencies, and the corpus. */
export interface KeywordStats {
  corpus: CorpusStats;
  terms: TermFrequency[];
}

/** A search result's chunk with its entry and document, for display and citation. */
export interface ChunkHit extends ChunkPlace {
  id: string;
  knowledgeBaseId: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  filename: string | null;
  sourceUrl: string | null;
  sourceKind: string;
}

export type VectorMetric = 'cosine' | 'l2';

/** A stored chunk as the chunk preview shows it (no vector). */
export interface ChunkRow extends ChunkPlace {
  id: string;
  tokenCount: number;
  model: string;
}

export interface ChunkPage {
  rows: ChunkRow[];
  total: number;
}
