import {
  KNOWLEDGE_INTENTS,
  KNOWLEDGE_TYPES,
  MAX_TAGS,
  TAG_MAX_LENGTH,
  TITLE_MAX_LENGTH,
  type KnowledgeIntent,
  type KnowledgeMetadata,
  type KnowledgeType,
} from '@business-brain/contract';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsOptional, IsString, Length, MaxLength, MinLength } from 'class-validator';

import { normaliseTags } from '../vocabulary.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** Title, type, intent and tags: shared by create (all required but tags) and update (all optional). */
export class KnowledgeMetadataDto implements KnowledgeMetadata {
  @ApiProperty({ minLength: 1, maxLength: TITLE_MAX_LENGTH, example: 'Pricing policy 2026' })
  @Transform(trim)
  @IsString()
  @Length(1, TITLE_MAX_LENGTH)
  title!: string;

  @ApiProperty({ enum: KNOWLEDGE_TYPES, example: 'Reference' })
  @IsIn(KNOWLEDGE_TYPES, { message: `type must be one of: ${KNOWLEDGE_TYPES.join(', ')}` })
  type!: KnowledgeType;

  @ApiProperty({ enum: KNOWLEDGE_INTENTS, example: 'Technical' })
  @IsIn(KNOWLEDGE_INTENTS, { message: `intent must be one of: ${KNOWLEDGE_INTENTS.join(', ')}` })
  intent!: KnowledgeIntent;

  @ApiPropertyOptional({
    type: [String],
    maxItems: MAX_TAGS,
    example: ['pricing', 'sales'],
    description: `Up to ${MAX_TAGS} tags of up to ${TAG_MAX_LENGTH} characters; stored lower case with spaces as hyphens. A comma-separated string is accepted too.`,
  })
  @Transform(({ value }) => normaliseTags(value))
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TAGS)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  @MaxLength(TAG_MAX_LENGTH, { each: true })
  tags?: string[];
}
