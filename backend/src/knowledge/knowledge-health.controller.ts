import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { ServiceHealthResponseDto } from '../health/dto/health.dto.js';

@ApiTags('knowledge')
@Controller('routes/knowledge')
export class KnowledgeHealthController {
  @Get('health')
  @ApiOperation({ summary: 'The knowledge service answers' })
  @ApiOkResponse({ type: ServiceHealthResponseDto })
  @ApiErrorResponses()
  health(): ServiceHealthResponseDto {
    return { status: 'healthy', service: 'knowledge' };
  }
}
