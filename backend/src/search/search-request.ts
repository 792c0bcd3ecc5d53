import type { SearchMode } from '@business-brain/contract';

import type { ChunkFilters } from '../embeddings/chunk-filters.js';
import type { VectorMetric } from '../embeddings/embedding-chunk.js';

/** One search, validated. */
export interface SearchRequest {
  query: string;
  mode: SearchMode;
  metric: VectorMetric;
  topK: number;
  minScore?: number;
  filters: ChunkFilters;
}

/** One result, before the HTTP shape. */
export interface SearchHit {
  score: number;
  /** 1-based rank in the semantic list (hybrid only), null when that list missed it. */
  semanticRank: number | null;
  keywordRank: number | null;
  chunkId: string;
  content: string;
  snippet: string;
  knowledgeBaseId: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  documentId: string;
  filename: string | null;
  sourceUrl: string | null;
  position: number;
  pageStart: number | null;
  pageEnd: number | null;
  charStart: number;
  charEnd: number;
}

export interface SearchOutcome {
  results: SearchHit[];
  tookMs: number;
  mode: SearchMode;
  embeddingModel: string;
}
