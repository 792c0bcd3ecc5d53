import { Body, Delete, Get, HttpCode, Param, Patch, Post, Query, Sse, UploadedFiles, UseInterceptors } from '@nestjs/common';
import { FilesInterceptor, type UploadedMultipartFile } from '@nestjs/platform-fastify/multipart';
import {
  ApiAcceptedResponse,
  ApiBody,
  ApiConsumes,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  getSchemaPath,
  ApiExtraModels,
} from '@nestjs/swagger';
import type { Observable } from 'rxjs';

import type { TenantContext } from '../auth/auth-identity.js';
import { TenantController } from '../auth/tenant-controller.decorator.js';
import { CurrentTenant } from '../auth/current-tenant.decorator.js';
import { ApiErrorResponses } from '../common/http/api-error-responses.decorator.js';
import { CreateKnowledgeDto, SourcesDto } from './dto/create-knowledge.dto.js';
import {
  ChunkPageResponseDto,
  KnowledgeEntryDetailDto,
  KnowledgeIndexResponseDto,
  RetryResponseDto,
} from './dto/knowledge-entry.dto.js';
import { ChunksQueryDto, ListKnowledgeQueryDto } from './dto/list-knowledge.query.js';
import { UpdateKnowledgeDto } from './dto/update-knowledge.dto.js';
import { KnowledgeStatusService, type StatusMessage } from './knowledge-status.service.js';
import { KnowledgeService } from './knowledge.service.js';
import { SourceIntake } from './source-intake.service.js';
import { UploadMemoryInterceptor } from './upload-memory.interceptor.js';

const multipartSchema = (withMetadata: boolean) => ({
  type: 'object',
  required: withMetadata ? ['title', 'type', 'intent'] : [],
  properties: {
    ...(withMetadata
      ? {
          title: { type: 'string', maxLength: 200 },
          type: { type: 'string' },
          intent: { type: 'string' },
          tags: { type: 'string', description: 'comma-separated, or repeat the field' },
        }
      : {}),
    file: { type: 'array', items: { type: 'string', format: 'binary' }, description: 'PDF, DOCX, HTML, Markdown, CSV or text; repeat for several' },
    url: { type: 'string' },
    text: { type: 'string' },
  },
});

@TenantController('knowledge')
@ApiErrorResponses(400, 401, 403)
@ApiExtraModels(CreateKnowledgeDto, SourcesDto)
export class KnowledgeController {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly intake: SourceIntake,
    private readonly status: KnowledgeStatusService,
  ) {}

  @Get('index')
  @ApiOperation({ summary: "List the tenant's knowledge entries, newest first, with filters" })
  @ApiOkResponse({ type: KnowledgeIndexResponseDto })
  index(@CurrentTenant() tenant: TenantContext, @Query() query: ListKnowledgeQueryDto): Promise<KnowledgeIndexResponseDto> {
    return this.knowledge.index(tenant.id, query);
  }

  @Post()
  @HttpCode(202)
  // the memory budget first: the files are read (and held) only once there is room for them
  @UseInterceptors(UploadMemoryInterceptor, FilesInterceptor('file'))
  @ApiOperation({ summary: 'Create a knowledge entry from files, a URL or text; processing continues in the background' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    schema: { oneOf: [multipartSchema(true), { $ref: getSchemaPath(CreateKnowledgeDto) }] },
    description: 'multipart/form-data with metadata fields and `file` parts, or JSON with `url` and/or `text`',
  })
  @ApiAcceptedResponse({ type: KnowledgeEntryDetailDto })
  @ApiErrorResponses(409, 413, 415, 422, 503)
  create(
    @CurrentTenant() tenant: TenantContext,
    @Body() body: CreateKnowledgeDto,
    @UploadedFiles() files: UploadedMultipartFile[] | undefined,
  ): Promise<KnowledgeEntryDetailDto> {
    const sources = this.intake.toSources({ files: files ?? [], url: body.url, text: body.text }, true);
    return this.knowledge.create(tenant.id, { title: body.title, type: body.type, intent: body.intent, tags: body.tags ?? [] }, sources);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One entry with its documents and their processing status' })
  @ApiOkResponse({ type: KnowledgeEntryDetailDto })
  @ApiErrorResponses(404)
  get(@CurrentTenant() tenant: TenantContext, @Param('id') id: string): Promise<KnowledgeEntryDetailDto> {
    return this.knowledge.get(tenant.id, id);
  }

  @Sse(':id/events')
  @ApiOperation({
    summary:
      'Server-sent events: the entry (as GET /{id}) each time its status changes; ends when all documents have settled, or with `event: deleted` when the entry is deleted',
  })
  @ApiProduces('text/event-stream')
  @ApiOkResponse({
    description: '`event: status` messages whose data is a KnowledgeEntryDetail; `event: deleted` (data `{"id"}`) when the entry is deleted',
    type: KnowledgeEntryDetailDto,
  })
  @ApiErrorResponses(404, 429)
  events(@CurrentTenant() tenant: TenantContext, @Param('id') id: string): Promise<Observable<StatusMessage>> {
    return this.status.stream(tenant.id, id);
  }

  @Get(':id/chunks')
  @ApiOperation({ summary: 'Paginated preview of the searchable chunks, in document order' })
  @ApiOkResponse({ type: ChunkPageResponseDto })
  @ApiErrorResponses(404)
  chunks(@CurrentTenant() tenant: TenantContext, @Param('id') id: string, @Query() query: ChunksQueryDto): Promise<ChunkPageResponseDto> {
    return this.knowledge.chunks(tenant.id, id, query);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change title, type, intent or tags (no re-embedding)' })
  @ApiOkResponse({ type: KnowledgeEntryDetailDto })
  @ApiErrorResponses(404)
  update(@CurrentTenant() tenant: TenantContext, @Param('id') id: string, @Body() body: UpdateKnowledgeDto): Promise<KnowledgeEntryDetailDto> {
    return this.knowledge.update(tenant.id, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete the entry with its documents, chunks and embeddings' })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  delete(@CurrentTenant() tenant: TenantContext, @Param('id') id: string): Promise<void> {
    return this.knowledge.delete(tenant.id, id);
  }

  @Post(':id/documents')
  @HttpCode(202)
  // the memory budget first: the files are read (and held) only once there is room for them
  @UseInterceptors(UploadMemoryInterceptor, FilesInterceptor('file'))
  @ApiOperation({ summary: 'Add sources (files, a URL or text) to an entry' })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({ schema: { oneOf: [multipartSchema(false), { $ref: getSchemaPath(SourcesDto) }] } })
  @ApiAcceptedResponse({ type: KnowledgeEntryDetailDto })
  @ApiErrorResponses(404, 409, 413, 415, 422, 503)
  addDocuments(
    @CurrentTenant() tenant: TenantContext,
    @Param('id') id: string,
    @Body() body: SourcesDto,
    @UploadedFiles() files: UploadedMultipartFile[] | undefined,
  ): Promise<KnowledgeEntryDetailDto> {
    const sources = this.intake.toSources({ files: files ?? [], url: body?.url, text: body?.text }, true);
    return this.knowledge.addSources(tenant.id, id, sources);
  }

  @Delete(':id/documents/:documentId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove one source from an entry, with its chunks' })
  @ApiNoContentResponse()
  @ApiErrorResponses(404)
  removeDocument(@CurrentTenant() tenant: TenantContext, @Param('id') id: string, @Param('documentId') documentId: string): Promise<void> {
    return this.knowledge.removeDocument(tenant.id, id, documentId);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: "Queue the entry's failed documents again" })
  @ApiAcceptedResponse({ type: RetryResponseDto })
  @ApiErrorResponses(404)
  retry(@CurrentTenant() tenant: TenantContext, @Param('id') id: string): Promise<RetryResponseDto> {
    return this.knowledge.retry(tenant.id, id);
  }
}
