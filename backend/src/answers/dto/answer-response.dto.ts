import type { AnswerResponse, AnswerUsage } from '@business-brain/contract';
import { ApiProperty } from '@nestjs/swagger';

import { ContextSourceDto } from '../../context/dto/context-response.dto.js';

export class AnswerUsageDto implements AnswerUsage {
  @ApiProperty({ description: 'Tokens sent to the model (0 for an extractive answer)' })
  prompt_tokens!: number;

  @ApiProperty({ description: 'Tokens the model wrote (0 for an extractive answer)' })
  completion_tokens!: number;
}

/** The whole answer at once: what `Accept: application/json` gets instead of the event stream. */
export class AnswerResponseDto implements AnswerResponse {
  @ApiProperty({ description: 'The answer, citing sources as [n]', example: 'New employees get twenty-five days of paid annual leave per calendar year [1].' })
  answer!: string;

  @ApiProperty({ type: [ContextSourceDto], description: 'The sources the answer cites, in order of first citation' })
  citations!: ContextSourceDto[];

  @ApiProperty({ type: [ContextSourceDto], description: 'Every source of the context the answer was written from; `[n]` is sources[n-1]' })
  sources!: ContextSourceDto[];

  @ApiProperty({ description: 'The chat model that wrote the answer, or `extractive`', example: 'gpt-4o-mini' })
  model!: string;

  @ApiProperty({ description: 'True when no chat model is configured: the answer is the sources\' own best-matching sentences, each with its citation' })
  extractive!: boolean;

  @ApiProperty({ type: AnswerUsageDto })
  usage!: AnswerUsageDto;
}
