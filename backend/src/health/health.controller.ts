import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { HealthResponseDto, ReadinessResponseDto } from './dto/health.dto.js';
import { HealthService } from './health.service.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiOkResponse({ type: HealthResponseDto })
  @ApiErrorResponses()
  live(): HealthResponseDto {
    return { status: 'healthy' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers and the vector extension is installed' })
  @ApiOkResponse({ type: ReadinessResponseDto })
  @ApiErrorResponses(503)
  ready(): Promise<ReadinessResponseDto> {
    return this.health.readiness();
  }
}
