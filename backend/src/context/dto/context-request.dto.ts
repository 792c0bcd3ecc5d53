import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsString, MaxLength, MinLength } from 'class-validator';

import { ContextOptionsDto } from './context-options.dto.js';

const trim = ({ value }: { value: unknown }): unknown => (typeof value === 'string' ? value.trim() : value);

export class ContextRequestDto extends ContextOptionsDto {
  @ApiProperty({ minLength: 1, maxLength: 1000, description: 'What the context is for: a question or a topic, in plain words', example: 'how many days of annual leave do new employees get' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  query!: string;
}
