import { Injectable } from '@nestjs/common';

import { AppError, NotFoundError } from '../common/errors/app-error.js';
import { AppConfigService } from '../config/app-config.service.js';
import { isUuid } from '../database/assert-tenant-id.js';
import { IngestionWorker } from '../ingestion/ingestion-worker.service.js';
import type { ChunkPageResponseDto, KnowledgeEntryDetailDto, KnowledgeIndexResponseDto, RetryResponseDto } from './dto/knowledge-entry.dto.js';
import type { ChunksQueryDto, ListKnowledgeQueryDto } from './dto/list-knowledge.query.js';
import type { UpdateKnowledgeDto } from './dto/update-knowledge.dto.js';
import { KnowledgeRepository, type EntryMetadata } from './knowledge.repository.js';
import { toChunkDto, toEntryDetailDto, toEntryDto } from './knowledge.mapper.js';
import type { NewSource } from './new-source.js';

const ENTRY_NOT_FOUND = 'Knowledge entry not found';

/** Every id in a path is checked before it reaches SQL; a malformed one is simply not found. */
const requireId = (id: string, message = ENTRY_NOT_FOUND): string => {
  if (!isUuid(id)) throw new NotFoundError(message);
  return id.toLowerCase();
};

const isUniqueViolation = (error: unknown): boolean => (error as { code?: string }).code === 'P2002';

@Injectable()
export class KnowledgeService {
  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly worker: IngestionWorker,
    private readonly config: AppConfigService,
  ) {}

  async index(tenantId: string, query: ListKnowledgeQueryDto): Promise<KnowledgeIndexResponseDto> {
    const { rows, total } = await this.knowledge.list(tenantId, query);
    return { entries: rows.map(toEntryDto), total_count: total };
  }

  async create(tenantId: string, metadata: EntryMetadata, sources: NewSource[]): Promise<KnowledgeEntryDetailDto> {
    const entry = await this.duplicateSafe(() => this.knowledge.create(tenantId, metadata, sources, this.maxAttempts()));
    this.worker.wake();
    return toEntryDetailDto(entry);
  }

  async get(tenantId: string, id: string): Promise<KnowledgeEntryDetailDto> {
    const entry = await this.knowledge.find(tenantId, requireId(id));
    if (!entry) throw new NotFoundError(ENTRY_NOT_FOUND);
    return toEntryDetailDto(entry);
  }

  async update(tenantId: string, id: string, patch: UpdateKnowledgeDto): Promise<KnowledgeEntryDetailDto> {
    const changes: Partial<EntryMetadata> = {};
    if (patch.title !== undefined) changes.title = patch.title;
    if (patch.type !== undefined) changes.type = patch.type;
    if (patch.intent !== undefined) changes.intent = patch.intent;
    if (patch.tags !== undefined) changes.tags = patch.tags;
    if (Object.keys(changes).length === 0) throw new AppError('validation_failed', 'Nothing to change: send title, type, intent or tags');
    const entry = await this.knowledge.update(tenantId, requireId(id), changes);
    if (!entry) throw new NotFoundError(ENTRY_NOT_FOUND);
    return toEntryDetailDto(entry);
  }

  async delete(tenantId: string, id: string): Promise<void> {
    if (!(await this.knowledge.delete(tenantId, requireId(id)))) throw new NotFoundError(ENTRY_NOT_FOUND);
  }

  async addSources(tenantId: string, id: string, sources: NewSource[]): Promise<KnowledgeEntryDetailDto> {
    const entry = await this.duplicateSafe(() => this.knowledge.addSources(tenantId, requireId(id), sources, this.maxAttempts()));
    if (!entry) throw new NotFoundError(ENTRY_NOT_FOUND);
    this.worker.wake();
    return toEntryDetailDto(entry);
  }

  async removeDocument(tenantId: string, id: string, documentId: string): Promise<void> {
    const removed = await this.knowledge.removeDocument(tenantId, requireId(id), requireId(documentId, 'Document not found'));
    if (!removed) throw new NotFoundError('Document not found');
  }

  async retry(tenantId: string, id: string): Promise<RetryResponseDto> {
    const result = await this.knowledge.retryFailed(tenantId, requireId(id), this.maxAttempts());
    if (!result) throw new NotFoundError(ENTRY_NOT_FOUND);
    if (result.requeued > 0) this.worker.wake();
    return { ...toEntryDetailDto(result.entry), requeued: result.requeued };
  }

  async chunks(tenantId: string, id: string, query: ChunksQueryDto): Promise<ChunkPageResponseDto> {
    const documentId = query.document_id === undefined ? undefined : requireId(query.document_id, 'Document not found');
    const page = await this.knowledge.listChunks(tenantId, requireId(id), { limit: query.limit, offset: query.offset, documentId });
    if (!page) throw new NotFoundError(ENTRY_NOT_FOUND);
    return { chunks: page.rows.map(toChunkDto), total_count: page.total };
  }

  private maxAttempts(): number {
    return this.config.get('ingestion').maxAttempts;
  }

  /** Two requests racing with the same source: the unique index decides, the loser hears 409. */
  private async duplicateSafe<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (isUniqueViolation(error)) throw new AppError('conflict', 'Duplicate source: it was added by a concurrent request');
      throw error;
    }
  }
}
