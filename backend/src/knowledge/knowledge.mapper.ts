import type { ChunkDto, KnowledgeDocumentDto, KnowledgeEntryDetailDto, KnowledgeEntryDto } from './dto/knowledge-entry.dto.js';
import type { DocumentRow, KnowledgeEntryDetail, KnowledgeEntryRow } from '../documents/document-rows.js';
import type { ChunkRow } from '../embeddings/embedding-chunk.js';

/** Repository rows to the API's snake_case JSON. */
export const toEntryDto = (row: KnowledgeEntryRow): KnowledgeEntryDto => ({
  id: row.id,
  title: row.title,
  type: row.type,
  intent: row.intent,
  tags: row.tags,
  status: row.status,
  document_count: row.documentCount,
  chunk_count: row.chunkCount,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

export const toDocumentDto = (doc: DocumentRow): KnowledgeDocumentDto => ({
  id: doc.id,
  source_kind: doc.sourceKind,
  filename: doc.filename,
  source_url: doc.sourceUrl,
  mime_type: doc.mimeType,
  byte_size: doc.byteSize,
  status: doc.status,
  stage: doc.stage,
  progress: doc.progress,
  error: doc.error,
  chunk_count: doc.chunkCount,
  page_count: doc.pageCount,
  embedding_model: doc.embeddingModel,
  created_at: doc.createdAt.toISOString(),
  updated_at: doc.updatedAt.toISOString(),
  processed_at: doc.processedAt?.toISOString() ?? null,
});

export const toEntryDetailDto = (entry: KnowledgeEntryDetail): KnowledgeEntryDetailDto => ({
  ...toEntryDto(entry),
  documents: entry.documents.map(toDocumentDto),
});

export const toChunkDto = (chunk: ChunkRow): ChunkDto => ({
  id: chunk.id,
  document_id: chunk.documentId,
  position: chunk.position,
  content: chunk.content,
  token_count: chunk.tokenCount,
  page_number: chunk.pageNumber,
  page_end: chunk.pageEnd,
  char_start: chunk.charStart,
  char_end: chunk.charEnd,
  model: chunk.model,
});
