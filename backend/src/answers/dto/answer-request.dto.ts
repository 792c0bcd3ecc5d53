import type { AnswerRequest } from '@business-brain/contract';
import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

import { ContextOptionsDto } from '../../context/dto/context-options.dto.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

/** A question, and how the context it is answered from is built (`max_tokens` is that context's budget). */
export class AnswerRequestDto extends ContextOptionsDto implements AnswerRequest {
  @ApiProperty({ minLength: 1, maxLength: 1000, example: 'How many days of annual leave do new employees get?' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  question!: string;
}
