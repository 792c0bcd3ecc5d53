import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength, ValidateNested } from 'class-validator';

import { CONTEXT_MAX_TOKENS, DEFAULT_CONTEXT_TOKENS } from '../../context/context-request.js';
import { SearchFiltersDto } from '../../search/dto/search-request.dto.js';
import { SEARCH_METRICS, SEARCH_MODES } from '../../search/search-request.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class AnswerRequestDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'How many days of annual leave do new employees get?' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  question!: string;

  @ApiPropertyOptional({ minimum: 1, maximum: CONTEXT_MAX_TOKENS, default: DEFAULT_CONTEXT_TOKENS, description: 'Budget of the context the answer is written from, in cl100k_base tokens' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(CONTEXT_MAX_TOKENS)
  max_tokens: number = DEFAULT_CONTEXT_TOKENS;

  @ApiPropertyOptional({ enum: SEARCH_MODES, default: 'hybrid', description: 'How passages are retrieved, as in search' })
  @IsOptional()
  @IsIn(SEARCH_MODES)
  mode: (typeof SEARCH_MODES)[number] = 'hybrid';

  @ApiPropertyOptional({ enum: SEARCH_METRICS, default: 'cosine' })
  @IsOptional()
  @IsIn(SEARCH_METRICS)
  metric: (typeof SEARCH_METRICS)[number] = 'cosine';

  @ApiPropertyOptional({ type: SearchFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SearchFiltersDto)
  filters?: SearchFiltersDto;
}
