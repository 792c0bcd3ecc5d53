import { ApiProperty } from '@nestjs/swagger';

export class KnowledgeEntryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'Pricing policy 2026', maxLength: 200 })
  title!: string;

  @ApiProperty({ example: 'Reference' })
  type!: string;

  @ApiProperty({ example: 'Technical' })
  intent!: string;

  @ApiProperty({ type: [String], example: ['pricing', 'sales'] })
  tags!: string[];

  @ApiProperty({ enum: ['queued', 'processing', 'ready', 'failed'] })
  status!: string;

  @ApiProperty({ example: 1 })
  document_count!: number;

  @ApiProperty({ example: 42 })
  chunk_count!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}

export class KnowledgeIndexResponseDto {
  @ApiProperty({ type: [KnowledgeEntryDto], description: 'Newest first' })
  entries!: KnowledgeEntryDto[];

  @ApiProperty({ example: 0, description: 'Entries in total for this tenant, across all pages' })
  total_count!: number;
}
