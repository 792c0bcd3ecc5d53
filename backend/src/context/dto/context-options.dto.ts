import { SEARCH_METRICS, SEARCH_MODES, type ContextOptions, type SearchMetric, type SearchMode } from '@business-brain/contract';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min, ValidateNested } from 'class-validator';

import { SearchFiltersDto } from '../../search/dto/search-request.dto.js';
import { CONTEXT_MAX_TOKENS, DEFAULT_CONTEXT_TOKENS } from '../context-request.js';

/** How a context is retrieved and how big it may be: shared by the context and answer requests. */
export class ContextOptionsDto implements ContextOptions {
  @ApiPropertyOptional({ minimum: 1, maximum: CONTEXT_MAX_TOKENS, default: DEFAULT_CONTEXT_TOKENS, description: 'Budget of the context in cl100k_base tokens (GPT-4 and GPT-3.5 count the same); never exceeded' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(CONTEXT_MAX_TOKENS)
  max_tokens: number = DEFAULT_CONTEXT_TOKENS;

  @ApiPropertyOptional({ enum: SEARCH_MODES, default: 'hybrid', description: 'How passages are retrieved, as in search' })
  @IsOptional()
  @IsIn(SEARCH_MODES)
  mode: SearchMode = 'hybrid';

  @ApiPropertyOptional({ enum: SEARCH_METRICS, default: 'cosine', description: 'Distance of the semantic list, as in search' })
  @IsOptional()
  @IsIn(SEARCH_METRICS)
  metric: SearchMetric = 'cosine';

  @ApiPropertyOptional({ type: SearchFiltersDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => SearchFiltersDto)
  filters?: SearchFiltersDto;
}
