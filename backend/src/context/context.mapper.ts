import { toChunkFilters } from '../search/search.mapper.js';
import type { ContextOutcome, ContextRequest } from './context-request.js';
import type { ContextRequestDto } from './dto/context-request.dto.js';
import type { ContextResponseDto, ContextSourceDto } from './dto/context-response.dto.js';
import type { ContextSource } from './pack-context.js';

export const toContextRequest = (dto: ContextRequestDto): ContextRequest => ({
  query: dto.query,
  maxTokens: dto.max_tokens,
  mode: dto.mode,
  metric: dto.metric,
  filters: toChunkFilters(dto.filters),
});

export const toContextSourceDto = (s: ContextSource): ContextSourceDto => ({
  number: s.number,
  knowledge_base_id: s.knowledgeBaseId,
  title: s.title,
  document_id: s.documentId,
  filename: s.filename,
  source_url: s.sourceUrl,
  page_start: s.pageStart,
  page_end: s.pageEnd,
  char_start: s.charStart,
  char_end: s.charEnd,
  score: s.score,
  chunk_ids: s.chunks.map((c) => c.id),
  truncated: s.truncated,
});

export const toContextResponse = (outcome: ContextOutcome): ContextResponseDto => ({
  context: outcome.context,
  sources: outcome.sources.map(toContextSourceDto),
  tokens: outcome.tokens,
  max_tokens: outcome.maxTokens,
  mode: outcome.mode,
  embedding_model: outcome.embeddingModel,
  took_ms: outcome.tookMs,
});
