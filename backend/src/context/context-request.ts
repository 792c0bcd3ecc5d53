import type { SearchMode } from '@business-brain/contract';

import type { ChunkFilters } from '../embeddings/chunk-filters.js';
import type { VectorMetric } from '../embeddings/embedding-chunk.js';
import type { ContextSource } from './pack-context.js';

export const DEFAULT_CONTEXT_TOKENS = 2000;
export const CONTEXT_MAX_TOKENS = 16_000;

/** One context request, validated. */
export interface ContextRequest {
  query: string;
  maxTokens: number;
  mode: SearchMode;
  metric: VectorMetric;
  filters: ChunkFilters;
}

export interface ContextOutcome {
  context: string;
  sources: ContextSource[];
  tokens: number;
  maxTokens: number;
  mode: SearchMode;
  embeddingModel: string;
  tookMs: number;
}

/**
 * How many chunks to retrieve for a budget: enough to fill it with chunks of about 100 tokens
 * (ingestion's chunks hold up to 512), within search's limits.
 */
export const retrievalDepth = (maxTokens: number): number => Math.min(100, Math.max(10, Math.ceil(maxTokens / 100)));
