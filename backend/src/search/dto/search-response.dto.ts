import { SEARCH_MODES, type SearchResponse, type SearchResult } from '@business-brain/contract';
import { ApiProperty } from '@nestjs/swagger';

export class SearchResultDto implements SearchResult {
  @ApiProperty({ description: "The mode's score, higher is better: cosine similarity (semantic, cosine), 1/(1+L2 distance) (semantic, l2), BM25 (keyword), reciprocal rank fusion (hybrid)", example: 0.0325 })
  score!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'Hybrid: 1-based rank in the semantic list, null when that list missed the chunk', example: 1 })
  semantic_rank?: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Hybrid: 1-based rank in the keyword list, null when that list missed the chunk', example: 2 })
  keyword_rank?: number | null;

  @ApiProperty({ format: 'uuid' })
  chunk_id!: string;

  @ApiProperty({ description: 'The whole chunk text' })
  content!: string;

  @ApiProperty({ description: 'An excerpt around the matched words, HTML-escaped, the matches wrapped in <mark>', example: 'Employees receive <mark>25</mark> days of <mark>annual</mark> <mark>leave</mark> a year…' })
  snippet!: string;

  @ApiProperty({ format: 'uuid' })
  knowledge_base_id!: string;

  @ApiProperty({ description: "The entry's title", example: 'Employee handbook' })
  title!: string;

  @ApiProperty({ example: 'Policy' })
  type!: string;

  @ApiProperty({ example: 'Reference' })
  intent!: string;

  @ApiProperty({ type: [String], example: ['hr'] })
  tags!: string[];

  @ApiProperty({ format: 'uuid' })
  document_id!: string;

  @ApiProperty({ nullable: true, type: String, description: 'File name, for an uploaded file', example: 'handbook.pdf' })
  filename!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Address, for a web page' })
  source_url!: string | null;

  @ApiProperty({ description: "0-based position of the chunk in its document" })
  position!: number;

  @ApiProperty({ nullable: true, type: Number, description: 'First page the chunk covers (paged sources such as PDF)', example: 4 })
  page_start!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Last page the chunk covers', example: 5 })
  page_end!: number | null;

  @ApiProperty({ description: "Offset in the document's extracted text where the chunk starts" })
  char_start!: number;

  @ApiProperty({ description: 'Offset where it ends (exclusive)' })
  char_end!: number;
}

export class SearchResponseDto implements SearchResponse {
  @ApiProperty({ type: [SearchResultDto], description: 'Best first' })
  results!: SearchResultDto[];

  @ApiProperty({ description: 'Time the service spent on the search, ms', example: 12 })
  took_ms!: number;

  @ApiProperty({ enum: SEARCH_MODES })
  mode!: string;

  @ApiProperty({
    description:
      "Model of the query and chunk embeddings: the model the tenant's chunks carry (the configured one unless they await re-embedding), two separated by a comma while a re-embedding leaves the tenant with both. `business-brain-lexical-v1` is the offline default: vectors of the words themselves, so 'semantic' then means lexical similarity (no synonyms)",
    example: 'text-embedding-3-small',
  })
  embedding_model!: string;
}
