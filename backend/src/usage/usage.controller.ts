import { Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import type { TenantContext } from '../auth/auth-identity.js';
import { TenantController } from '../auth/tenant-controller.decorator.js';
import { CurrentTenant } from '../auth/current-tenant.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { UsageQueryDto } from './dto/usage-query.dto.js';
import { UsageResponseDto } from './dto/usage-response.dto.js';
import { UsageService } from './usage.service.js';

@TenantController('usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get('usage')
  @ApiOperation({ summary: "The tenant's use of language models by UTC day: answers, tokens sent and tokens received, per model" })
  @ApiOkResponse({ type: UsageResponseDto })
  @ApiErrorResponses(400, 401, 403)
  byDay(@CurrentTenant() tenant: TenantContext, @Query() query: UsageQueryDto): Promise<UsageResponseDto> {
    return this.usage.byDay(tenant.id, query);
  }
}
