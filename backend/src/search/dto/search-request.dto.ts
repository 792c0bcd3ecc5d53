import {
  KNOWLEDGE_INTENTS,
  KNOWLEDGE_TYPES,
  MAX_TAGS,
  SEARCH_METRICS,
  SEARCH_MODES,
  TAG_MAX_LENGTH,
  TAGS_MATCH,
  type SearchFilters,
  type SearchMetric,
  type SearchMode,
  type SearchRequest,
} from '@business-brain/contract';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

import { normaliseTags } from '../../knowledge/vocabulary.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class SearchFiltersDto implements SearchFilters {
  @ApiPropertyOptional({ type: [String], enum: KNOWLEDGE_TYPES, description: 'Entries of any of these types' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(KNOWLEDGE_TYPES.length)
  @IsIn(KNOWLEDGE_TYPES, { each: true })
  type?: string[];

  @ApiPropertyOptional({ type: [String], enum: KNOWLEDGE_INTENTS, description: 'Entries of any of these intents' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(KNOWLEDGE_INTENTS.length)
  @IsIn(KNOWLEDGE_INTENTS, { each: true })
  intent?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Entries carrying these tags (compared in normalised form)', example: ['onboarding'] })
  @IsOptional()
  @Transform(({ value }) => normaliseTags(value))
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @MaxLength(TAG_MAX_LENGTH, { each: true })
  tags?: string[];

  @ApiPropertyOptional({ enum: TAGS_MATCH, default: 'any', description: '`any`: at least one of `tags`; `all`: every one' })
  @IsOptional()
  @IsIn(TAGS_MATCH)
  tags_match?: (typeof TAGS_MATCH)[number];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Only these knowledge entries' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsUUID('all', { each: true })
  knowledge_base_ids?: string[];

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries created at or after this instant (ISO 8601)', example: '2026-01-01T00:00:00Z' })
  @IsOptional()
  @IsDateString({ strict: true })
  created_after?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'Entries created before this instant (ISO 8601)' })
  @IsOptional()
  @IsDateString({ strict: true })
  created_before?: string;
}

export class SearchRequestDto implements SearchRequest {
  @ApiProperty({ minLength: 1, maxLength: 1000, description: 'What to look for, in plain words; keyword search also understands "quoted phrases", -excluded words and or', example: 'how many days of annual leave' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  query!: string;

  @ApiPropertyOptional({ enum: SEARCH_MODES, default: 'hybrid', description: '`semantic`: nearest embeddings; `keyword`: BM25 over full-text matches; `hybrid`: both fused by reciprocal rank' })
  @IsOptional()
  @IsIn(SEARCH_MODES)
  mode: SearchMode = 'hybrid';

  @ApiPropertyOptional({ enum: SEARCH_METRICS, default: 'cosine', description: 'Distance of the semantic list, each served by its own HNSW index' })
  @IsOptional()
  @IsIn(SEARCH_METRICS)
  metric: SearchMetric = 'cosine';

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 10, description: 'Results wanted' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(100)
  top_k: number = 10;

  @ApiPropertyOptional({ description: "Drop results scoring below this (the mode's score: cosine similarity, 1/(1+L2 distance), BM25 or fused rank score)" })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  min_score?: number;

  @ApiPropertyOptional({ type: SearchFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SearchFiltersDto)
  filters?: SearchFiltersDto;
}
