export interface NewEmbeddingChunk {
  knowledgeBaseId: string;
  documentId: string;
  position: number;
  content: string;
  tokenCount: number;
  pageNumber: number | null;
  pageEnd: number | null;
  charStart: number;
  charEnd: number;
  contentHash: string;
  model: string;
  vector: readonly number[];
}

/** A chunk's place in one ranked list: its distance (semantic) or score (keyword). */
export interface RankedChunk {
  id: string;
  value: number;
}

/** BM25's corpus statistics of a tenant. */
export interface CorpusStats {
  chunks: number;
  meanTokens: number;
}

/** A search result's chunk with its entry and document, for display and citation. */
export interface ChunkHit {
  id: string;
  knowledgeBaseId: string;
  documentId: string;
  position: number;
  content: string;
  pageNumber: number | null;
  pageEnd: number | null;
  charStart: number;
  charEnd: number;
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
export interface ChunkRow {
  id: string;
  documentId: string;
  position: number;
  content: string;
  tokenCount: number;
  pageNumber: number | null;
  pageEnd: number | null;
  charStart: number;
  charEnd: number;
  model: string;
}

export interface ChunkPage {
  rows: ChunkRow[];
  total: number;
}
