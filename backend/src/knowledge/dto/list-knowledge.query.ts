import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

import { ENTRY_STATUSES } from '../../documents/entry-status.js';
import { KNOWLEDGE_INTENTS, KNOWLEDGE_TYPES } from '../vocabulary.js';

export class PageQueryDto {
  @ApiPropertyOptional({ description: 'Page size', minimum: 1, maximum: 100, default: 20 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit: number = 20;

  @ApiPropertyOptional({ description: 'Items to skip', minimum: 0, default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset: number = 0;
}

export class ListKnowledgeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: KNOWLEDGE_TYPES })
  @IsOptional()
  @IsIn(KNOWLEDGE_TYPES)
  type?: string;

  @ApiPropertyOptional({ enum: KNOWLEDGE_INTENTS })
  @IsOptional()
  @IsIn(KNOWLEDGE_INTENTS)
  intent?: string;

  @ApiPropertyOptional({ description: 'Entries carrying this tag (compared in normalised form)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase().replace(/\s+/g, '-') : value))
  @IsString()
  @MaxLength(40)
  tag?: string;

  @ApiPropertyOptional({ enum: ENTRY_STATUSES })
  @IsOptional()
  @IsIn(ENTRY_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the title' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;
}

export class ChunksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the chunks of this document' })
  @IsOptional()
  @IsString()
  document_id?: string;
}
