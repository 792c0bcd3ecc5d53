import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';

import type { TenantContext } from '../auth/auth-identity.js';
import { ClerkTenantGuard } from '../auth/clerk-tenant.guard.js';
import { CurrentTenant } from '../auth/current-tenant.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { UsageQueryDto } from './dto/usage-query.dto.js';
import { UsageResponseDto } from './dto/usage-response.dto.js';
import { UsageService } from './usage.service.js';

@ApiTags('usage')
@ApiBearerAuth('clerk-session')
@ApiCookieAuth('clerk-session-cookie')
@ApiParam({ name: 'tenant', description: "Organisation slug; must equal the session token's active organisation", example: 'acme' })
@UseGuards(ClerkTenantGuard)
@Controller('routes/knowledge/:tenant')
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
