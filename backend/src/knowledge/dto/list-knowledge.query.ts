import {
  ENTRY_STATUSES,
  KNOWLEDGE_INTENTS,
  KNOWLEDGE_TYPES,
  normaliseTag,
  TAG_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  type KnowledgeIndexQuery,
} from '@business-brain/contract';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

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

export class ListKnowledgeQueryDto extends PageQueryDto implements KnowledgeIndexQuery {
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
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normaliseTag(value) : value))
  @IsString()
  @MaxLength(TAG_MAX_LENGTH)
  tag?: string;

  @ApiPropertyOptional({ enum: ENTRY_STATUSES })
  @IsOptional()
  @IsIn(ENTRY_STATUSES)
  status?: string;

  @ApiPropertyOptional({ description: 'Case-insensitive substring of the title' })
  @IsOptional()
  @IsString()
  @MaxLength(TITLE_MAX_LENGTH)
  q?: string;
}

export class ChunksQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Only the chunks of this document' })
  @IsOptional()
  @IsString()
  document_id?: string;
}
