import { Body, HttpCode, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation } from '@nestjs/swagger';

import type { TenantContext } from '../auth/auth-identity.js';
import { TenantController } from '../auth/tenant-controller.decorator.js';
import { CurrentTenant } from '../auth/current-tenant.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { SearchRequestDto } from './dto/search-request.dto.js';
import { SearchResponseDto } from './dto/search-response.dto.js';
import { toSearchRequest, toSearchResponse } from './search.mapper.js';
import { SearchService } from './search.service.js';

const EXAMPLE = {
  query: 'how many days of annual leave do new employees get',
  mode: 'hybrid',
  top_k: 5,
  filters: { type: ['Policy'], tags: ['hr'], tags_match: 'any', created_after: '2026-01-01T00:00:00Z' },
};

@TenantController('search')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Post('search')
  @HttpCode(200)
  @ApiOperation({
    summary: "Search the tenant's ready knowledge: semantic, keyword (BM25) or hybrid (both fused by reciprocal rank)",
    description: 'Only chunks of documents that finished processing are searched, and only the calling tenant\'s. Each result cites its entry, document, page range and character offsets.',
  })
  @ApiBody({ type: SearchRequestDto, examples: { hybrid: { summary: 'Hybrid search with filters', value: EXAMPLE } } })
  @ApiOkResponse({ type: SearchResponseDto })
  @ApiErrorResponses(400, 401, 403, 409, 503)
  async query(@CurrentTenant() tenant: TenantContext, @Body() body: SearchRequestDto): Promise<SearchResponseDto> {
    return toSearchResponse(await this.search.search(tenant.id, toSearchRequest(body)));
  }
}
