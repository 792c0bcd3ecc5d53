import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';

import type { TenantContext } from '../auth/auth-identity.js';
import { ClerkTenantGuard } from '../auth/clerk-tenant.guard.js';
import { CurrentTenant } from '../auth/current-tenant.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { KnowledgeIndexResponseDto } from './dto/knowledge-entry.dto.js';
import { ListKnowledgeQueryDto } from './dto/list-knowledge.query.js';
import { KnowledgeService } from './knowledge.service.js';

@ApiTags('knowledge')
@ApiBearerAuth('clerk-session')
@ApiCookieAuth('clerk-session-cookie')
@ApiParam({ name: 'tenant', description: "Organisation slug; must equal the session token's active organisation", example: 'acme' })
@ApiErrorResponses(400, 401, 403)
@UseGuards(ClerkTenantGuard)
@Controller('routes/knowledge/:tenant')
export class KnowledgeController {
  constructor(private readonly knowledge: KnowledgeService) {}

  @Get('index')
  @ApiOperation({ summary: "List the tenant's knowledge entries, newest first" })
  @ApiOkResponse({ type: KnowledgeIndexResponseDto })
  index(@CurrentTenant() tenant: TenantContext, @Query() query: ListKnowledgeQueryDto): Promise<KnowledgeIndexResponseDto> {
    return this.knowledge.index(tenant.id, query);
  }
}
