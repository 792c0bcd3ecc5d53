export interface NewEmbeddingChunk {
  knowledgeBaseId: string;
  documentId: string;
  position: number;
  content: string;
  tokenCount: number;
  pageNumber: number | null;
  charStart: number;
  charEnd: number;
  contentHash: string;
  model: string;
  vector: readonly number[];
}

export interface SimilarChunk {
  id: string;
  knowledgeBaseId: string;
  documentId: string;
  position: number;
  content: string;
  distance: number;
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
  charStart: number;
  charEnd: number;
  model: string;
}

export interface ChunkPage {
  rows: ChunkRow[];
  total: number;
}
