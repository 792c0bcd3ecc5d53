import { Injectable } from '@nestjs/common';

import { SearchService } from '../search/search.service.js';
import { type ContextOutcome, type ContextRequest, retrievalDepth } from './context-request.js';
import { packContext } from './pack-context.js';
import { dropNearDuplicates, mergeNeighbours } from './passages.js';

/**
 * Context for a language model: retrieves with search, merges overlapping and neighbouring chunks
 * of a document into passages, leaves out near-duplicates, and packs the passages best first into
 * an exact token budget under numbered source markers. The same request gives the same context.
 */
@Injectable()
export class ContextService {
  constructor(private readonly search: SearchService) {}

  async build(tenantId: string, request: ContextRequest): Promise<ContextOutcome> {
    const started = performance.now();
    const found = await this.search.search(tenantId, {
      query: request.query,
      mode: request.mode,
      metric: request.metric,
      topK: retrievalDepth(request.maxTokens),
      filters: request.filters,
    });
    const packed = packContext(dropNearDuplicates(mergeNeighbours(found.results)), request.maxTokens);
    return { ...packed, maxTokens: request.maxTokens, mode: found.mode, embeddingModel: found.embeddingModel, tookMs: Math.round(performance.now() - started) };
  }
}
