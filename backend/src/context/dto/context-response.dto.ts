import { SEARCH_MODES, type ContextSource } from '@business-brain/contract';
import { ApiProperty } from '@nestjs/swagger';

export class ContextSourceDto implements ContextSource {
  @ApiProperty({ description: 'The number of its `[n]` marker in `context`', example: 1 })
  number!: number;

  @ApiProperty({ format: 'uuid', description: 'The knowledge entry' })
  knowledge_base_id!: string;

  @ApiProperty({ example: 'Employee handbook' })
  title!: string;

  @ApiProperty({ format: 'uuid' })
  document_id!: string;

  @ApiProperty({ nullable: true, type: String, example: 'handbook.pdf' })
  filename!: string | null;

  @ApiProperty({ nullable: true, type: String })
  source_url!: string | null;

  @ApiProperty({ nullable: true, type: Number, description: 'First page the passage covers (paged sources)', example: 4 })
  page_start!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Last page the passage covers', example: 5 })
  page_end!: number | null;

  @ApiProperty({ description: "Offset in the document's extracted text where the passage starts" })
  char_start!: number;

  @ApiProperty({ description: 'Offset where the passage as included ends (exclusive)' })
  char_end!: number;

  @ApiProperty({ description: "The best search score among the passage's chunks (the mode's score)" })
  score!: number;

  @ApiProperty({ type: [String], description: 'The retrieved chunks the passage is made of, in document order' })
  chunk_ids!: string[];

  @ApiProperty({ description: 'The passage was cut short to fit the budget' })
  truncated!: boolean;
}

export class ContextResponseDto {
  @ApiProperty({
    description: 'The passages, best first, each under a line `[n] Title (file or address, pages)`, separated by blank lines; overlapping and neighbouring chunks merged, near-duplicates left out',
    example: '[1] Employee handbook (handbook.pdf, page 4)\nEvery employee receives twenty-five days of paid annual leave per calendar year.',
  })
  context!: string;

  @ApiProperty({ type: [ContextSourceDto] })
  sources!: ContextSourceDto[];

  @ApiProperty({ description: 'cl100k_base tokens of `context`, exactly; never above `max_tokens`', example: 31 })
  tokens!: number;

  @ApiProperty({ example: 2000 })
  max_tokens!: number;

  @ApiProperty({ enum: SEARCH_MODES })
  mode!: string;

  @ApiProperty({ description: 'The model that embedded the query and the chunks', example: 'text-embedding-3-small' })
  embedding_model!: string;

  @ApiProperty({ description: 'Server time, ms' })
  took_ms!: number;
}
