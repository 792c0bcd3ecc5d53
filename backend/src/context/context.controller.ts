import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import type { TenantContext } from '../auth/auth-identity.js';
import { TenantController } from '../auth/tenant-controller.decorator.js';
import { CurrentTenant } from '../auth/current-tenant.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { toContextRequest, toContextResponse } from './context.mapper.js';
import { ContextService } from './context.service.js';
import { ContextRequestDto } from './dto/context-request.dto.js';
import { ContextResponseDto } from './dto/context-response.dto.js';

const EXAMPLE = { query: 'how many days of annual leave do new employees get', max_tokens: 1500, mode: 'hybrid', filters: { type: ['Policy'] } };

@TenantController('context')
export class ContextController {
  constructor(private readonly contexts: ContextService) {}

  @Post('context')
  @HttpCode(200)
  @ApiOperation({
    summary: "Context for a language model from the tenant's knowledge, packed into a token budget with numbered sources",
    description:
      'Retrieves as search does, merges overlapping and neighbouring chunks of a document, leaves out near-duplicate passages, and packs the passages best first ' +
      'under `[n]` markers into at most `max_tokens` cl100k_base tokens. `sources[n-1]` says where passage `[n]` comes from. The same request gives the same answer.',
  })
  @ApiBody({ type: ContextRequestDto, examples: { question: { summary: 'Context for a question', value: EXAMPLE } } })
  @ApiOkResponse({ type: ContextResponseDto })
  @ApiErrorResponses(400, 401, 403, 409, 503)
  async context(@CurrentTenant() tenant: TenantContext, @Body() body: ContextRequestDto): Promise<ContextResponseDto> {
    return toContextResponse(await this.contexts.build(tenant.id, toContextRequest(body)));
  }
}
