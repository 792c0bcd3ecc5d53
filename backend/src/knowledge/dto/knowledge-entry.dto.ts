import {
  DOCUMENT_STAGES,
  DOCUMENT_STATUSES,
  ENTRY_STATUSES,
  SOURCE_KINDS,
  TITLE_MAX_LENGTH,
  type Chunk,
  type ChunkPage,
  type KnowledgeDocument,
  type KnowledgeEntry,
  type KnowledgeEntryDetail,
  type KnowledgeIndex,
  type RetryResponse,
  type Vocabulary,
} from '@business-brain/contract';
import { ApiProperty } from '@nestjs/swagger';

export class KnowledgeEntryDto implements KnowledgeEntry {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Pricing policy 2026', maxLength: TITLE_MAX_LENGTH })
  title!: string;

  @ApiProperty({ example: 'Reference' })
  type!: string;

  @ApiProperty({ example: 'Technical' })
  intent!: string;

  @ApiProperty({ type: [String], example: ['pricing', 'sales'] })
  tags!: string[];

  @ApiProperty({ enum: ENTRY_STATUSES, description: 'Derived from its documents' })
  status!: string;

  @ApiProperty({ example: 1 })
  document_count!: number;

  @ApiProperty({ example: 42, description: 'Searchable chunks (documents that are ready)' })
  chunk_count!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class KnowledgeIndexResponseDto implements KnowledgeIndex {
  @ApiProperty({ type: [KnowledgeEntryDto], description: 'Newest first' })
  entries!: KnowledgeEntryDto[];

  @ApiProperty({ example: 0, description: 'Matching entries in total, across all pages' })
  total_count!: number;
}

export class KnowledgeDocumentDto implements KnowledgeDocument {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: SOURCE_KINDS })
  source_kind!: string;

  @ApiProperty({ nullable: true, type: String, example: 'handbook.pdf' })
  filename!: string | null;

  @ApiProperty({ nullable: true, type: String })
  source_url!: string | null;

  @ApiProperty({ nullable: true, type: String, example: 'application/pdf' })
  mime_type!: string | null;

  @ApiProperty()
  byte_size!: number;

  @ApiProperty({ enum: DOCUMENT_STATUSES })
  status!: string;

  @ApiProperty({ nullable: true, type: String, enum: DOCUMENT_STAGES, description: 'While processing (or waiting to retry)' })
  stage!: string | null;

  @ApiProperty({ minimum: 0, maximum: 100 })
  progress!: number;

  @ApiProperty({ nullable: true, type: String, description: 'Why it failed (or why it is being retried), readable by a person' })
  error!: string | null;

  @ApiProperty()
  chunk_count!: number;

  @ApiProperty({ nullable: true, type: Number })
  page_count!: number | null;

  @ApiProperty({ nullable: true, type: String, example: 'text-embedding-3-small', description: "Model of the document's embeddings, once ready" })
  embedding_model!: string | null;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty({ format: 'date-time', nullable: true, type: String })
  processed_at!: string | null;
}

export class KnowledgeEntryDetailDto extends KnowledgeEntryDto implements KnowledgeEntryDetail {
  @ApiProperty({ type: [KnowledgeDocumentDto] })
  documents!: KnowledgeDocumentDto[];
}

export class RetryResponseDto extends KnowledgeEntryDetailDto implements RetryResponse {
  @ApiProperty({ description: 'Failed documents queued again' })
  requeued!: number;
}

export class ChunkDto implements Chunk {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  document_id!: string;

  @ApiProperty({ description: '0-based position within its document' })
  position!: number;

  @ApiProperty()
  content!: string;

  @ApiProperty()
  token_count!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Page the chunk starts on (PDF)' })
  page_number!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Page the chunk ends on (PDF)' })
  page_end!: number | null;

  @ApiProperty({ description: 'Character offset in the extracted text where the chunk starts' })
  char_start!: number;

  @ApiProperty({ description: 'Character offset where it ends (exclusive)' })
  char_end!: number;

  @ApiProperty({ example: 'text-embedding-3-small' })
  model!: string;
}

export class ChunkPageResponseDto implements ChunkPage {
  @ApiProperty({ type: [ChunkDto] })
  chunks!: ChunkDto[];

  @ApiProperty()
  total_count!: number;
}

export class VocabularyLimitsDto {
  @ApiProperty({ example: 200 })
  title_max_length!: number;

  @ApiProperty({ example: 20 })
  max_tags!: number;

  @ApiProperty({ example: 40 })
  tag_max_length!: number;

  @ApiProperty({ example: 26214400, description: 'Largest accepted file, bytes (MAX_UPLOAD_BYTES)' })
  max_file_bytes!: number;

  @ApiProperty({ example: 10, description: 'Files per request (MAX_FILES_PER_REQUEST)' })
  max_files!: number;
}

export class VocabularyResponseDto implements Vocabulary {
  @ApiProperty({ type: [String] })
  types!: string[];

  @ApiProperty({ type: [String] })
  intents!: string[];

  @ApiProperty({ type: VocabularyLimitsDto })
  limits!: VocabularyLimitsDto;

  @ApiProperty({ type: [String], example: ['PDF', 'DOCX', 'HTML', 'Markdown', 'CSV', 'plain text'] })
  accepted_file_types!: string[];
}

export class StatusEventDto extends KnowledgeEntryDetailDto {}

