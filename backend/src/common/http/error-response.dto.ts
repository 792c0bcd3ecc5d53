import type { ApiErrorBody } from '@business-brain/contract';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The one error body every endpoint answers with. */
export class ErrorResponseDto implements ApiErrorBody {
  @ApiProperty({ example: 404, description: 'HTTP status code, repeated in the body' })
  statusCode!: number;

  @ApiProperty({ example: 'Not Found', description: 'HTTP reason phrase' })
  error!: string;

  @ApiProperty({ example: 'Knowledge entry not found', description: 'What went wrong, safe to show to a user' })
  message!: string;

  @ApiProperty({ example: '6f1c0a4e-8e0b-4a57-9d36-2b9d3c1f5e21', description: 'Also sent as the X-Request-Id header and in every log line' })
  request_id!: string;

  @ApiPropertyOptional({
    description: 'Per-field problems for validation errors',
    example: [{ field: 'limit', problems: ['limit must not be greater than 100'] }],
  })
  details?: { field: string; problems: string[] }[];
}
