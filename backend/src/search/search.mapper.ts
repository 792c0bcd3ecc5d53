import type { ChunkFilters } from '../embeddings/chunk-filters.js';
import type { SearchFiltersDto, SearchRequestDto } from './dto/search-request.dto.js';
import type { SearchResponseDto, SearchResultDto } from './dto/search-response.dto.js';
import type { SearchHit, SearchOutcome, SearchRequest } from './search-request.js';

export const toChunkFilters = (dto: SearchFiltersDto | undefined): ChunkFilters => ({
  types: dto?.type,
  intents: dto?.intent,
  tags: dto?.tags,
  tagsMatch: dto?.tags_match ?? 'any',
  knowledgeBaseIds: dto?.knowledge_base_ids,
  createdAfter: dto?.created_after === undefined ? undefined : new Date(dto.created_after),
  createdBefore: dto?.created_before === undefined ? undefined : new Date(dto.created_before),
});

export const toSearchRequest = (dto: SearchRequestDto): SearchRequest => ({
  query: dto.query,
  mode: dto.mode,
  metric: dto.metric,
  topK: dto.top_k,
  ...(dto.min_score === undefined ? {} : { minScore: dto.min_score }),
  filters: toChunkFilters(dto.filters),
});

const toResultDto = (hit: SearchHit, hybrid: boolean): SearchResultDto => ({
  score: hit.score,
  ...(hybrid ? { semantic_rank: hit.semanticRank, keyword_rank: hit.keywordRank } : {}),
  chunk_id: hit.chunkId,
  content: hit.content,
  snippet: hit.snippet,
  knowledge_base_id: hit.knowledgeBaseId,
  title: hit.title,
  type: hit.type,
  intent: hit.intent,
  tags: hit.tags,
  document_id: hit.documentId,
  filename: hit.filename,
  source_url: hit.sourceUrl,
  position: hit.position,
  page_start: hit.pageStart,
  page_end: hit.pageEnd,
  char_start: hit.charStart,
  char_end: hit.charEnd,
});

export const toSearchResponse = (outcome: SearchOutcome): SearchResponseDto => ({
  results: outcome.results.map((hit) => toResultDto(hit, outcome.mode === 'hybrid')),
  took_ms: outcome.tookMs,
  mode: outcome.mode,
  embedding_model: outcome.embeddingModel,
});
