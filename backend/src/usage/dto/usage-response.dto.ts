import { ApiProperty } from '@nestjs/swagger';

export class UsageDayDto {
  @ApiProperty({ description: 'UTC day', example: '2026-11-30' })
  day!: string;

  @ApiProperty({ description: 'What was used', example: 'answer' })
  kind!: string;

  @ApiProperty({ description: 'The chat model, or `extractive` for answers made without one', example: 'gpt-4o-mini' })
  model!: string;

  @ApiProperty({ description: 'Answers that day with that model', example: 12 })
  requests!: number;

  @ApiProperty({ description: 'Tokens sent to the model', example: 25310 })
  prompt_tokens!: number;

  @ApiProperty({ description: 'Tokens the model wrote', example: 2114 })
  completion_tokens!: number;
}

export class UsageResponseDto {
  @ApiProperty({ example: '2026-11-01' })
  from!: string;

  @ApiProperty({ example: '2026-11-30' })
  to!: string;

  @ApiProperty({ type: [UsageDayDto], description: 'One row per day, kind and model with any use, oldest first' })
  days!: UsageDayDto[];
}
