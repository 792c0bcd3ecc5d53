import { Inject, Injectable } from '@nestjs/common';

import { AppError, NotFoundError } from '../common/errors/app-error.js';
import { isUuid } from '../database/assert-tenant-id.js';
import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import type { EntryMetadata, KnowledgeEntryDetail } from '../documents/document-rows.js';
import { DocumentLifecycle } from '../documents/document-lifecycle.service.js';
import { DocumentsRepository } from '../documents/documents.repository.js';
import { KnowledgeBasesRepository } from '../documents/knowledge-bases.repository.js';
import type { NewSource } from '../documents/new-source.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { INGESTION_QUEUE, type IngestionQueue } from '../ingestion/ingestion-queue.port.js';
import { TenantQuotas } from '../quotas/tenant-quotas.service.js';
import { storing } from './storing-transaction.js';
import type { ChunkPageResponseDto, KnowledgeEntryDetailDto, KnowledgeIndexResponseDto, RetryResponseDto } from './dto/knowledge-entry.dto.js';
import type { ChunksQueryDto, ListKnowledgeQueryDto } from './dto/list-knowledge.query.js';
import type { UpdateKnowledgeDto } from './dto/update-knowledge.dto.js';
import { toChunkDto, toEntryDetailDto, toEntryDto } from './knowledge.mapper.js';

const ENTRY_NOT_FOUND = 'Knowledge entry not found';

/** Every id in a path is checked before it reaches SQL; a malformed one is simply not found. */
const requireId = (id: string, message = ENTRY_NOT_FOUND): string => {
  if (!isUuid(id)) throw new NotFoundError(message);
  return id.toLowerCase();
};

/**
 * Knowledge entries and their sources, for the API. Each operation is one tenant transaction
 * over the entry, document and embedding repositories; new documents are queued for ingestion in
 * the same transaction that stores them.
 */
@Injectable()
export class KnowledgeService {
  constructor(
    private readonly db: TenantDatabase,
    private readonly entries: KnowledgeBasesRepository,
    private readonly documents: DocumentsRepository,
    private readonly lifecycle: DocumentLifecycle,
    private readonly embeddings: EmbeddingsRepository,
    @Inject(INGESTION_QUEUE) private readonly ingestion: IngestionQueue,
    private readonly quotas: TenantQuotas,
  ) {}

  async index(tenantId: string, query: ListKnowledgeQueryDto): Promise<KnowledgeIndexResponseDto> {
    // one statement, so one snapshot even under READ COMMITTED: no REPEATABLE READ (and no round trip to set it)
    const { rows, total } = await this.db.run(tenantId, (tx) => this.entries.list(tx, tenantId, query));
    return { entries: rows.map(toEntryDto), total_count: total };
  }

  async create(tenantId: string, metadata: EntryMetadata, sources: NewSource[]): Promise<KnowledgeEntryDetailDto> {
    const entry = await this.db.run(
      tenantId,
      async (tx) => {
        const id = await this.entries.create(tx, tenantId, metadata);
        await this.addSourcesIn(tx, tenantId, id, sources);
        return this.detailIn(tx, tenantId, id);
      },
      storing(sources),
    );
    this.ingestion.wake();
    return toEntryDetailDto(this.found(entry));
  }

  async get(tenantId: string, id: string): Promise<KnowledgeEntryDetailDto> {
    const entryId = requireId(id);
    const entry = await this.db.run(tenantId, (tx) => this.detailIn(tx, tenantId, entryId), { snapshot: true });
    return toEntryDetailDto(this.found(entry));
  }

  /**
   * Several entries of one tenant as `get` shows each, read in one transaction with a fixed number
   * of statements however many there are (for the live status streams); missing ids are absent.
   */
  async getMany(tenantId: string, ids: readonly string[]): Promise<Map<string, KnowledgeEntryDetailDto>> {
    const found = await this.db.run(
      tenantId,
      async (tx) => {
        const entries = await this.entries.findMany(tx, tenantId, ids);
        const documents = await this.documents.listForEntries(tx, tenantId, entries.map((e) => e.id));
        return entries.map((entry) => ({ ...entry, documents: documents.get(entry.id) ?? [] }));
      },
      { snapshot: true },
    );
    return new Map(found.map((entry) => [entry.id, toEntryDetailDto(entry)]));
  }

  async update(tenantId: string, id: string, patch: UpdateKnowledgeDto): Promise<KnowledgeEntryDetailDto> {
    const changes: Partial<EntryMetadata> = {};
    if (patch.title !== undefined) changes.title = patch.title;
    if (patch.type !== undefined) changes.type = patch.type;
    if (patch.intent !== undefined) changes.intent = patch.intent;
    if (patch.tags !== undefined) changes.tags = patch.tags;
    if (Object.keys(changes).length === 0) throw new AppError('validation_failed', 'Nothing to change: send title, type, intent or tags');
    const entryId = requireId(id);
    const entry = await this.db.run(tenantId, async (tx) =>
      (await this.entries.update(tx, tenantId, entryId, changes)) ? this.detailIn(tx, tenantId, entryId) : null,
    );
    return toEntryDetailDto(this.found(entry));
  }

  async delete(tenantId: string, id: string): Promise<void> {
    const entryId = requireId(id);
    if (!(await this.db.run(tenantId, (tx) => this.entries.delete(tx, tenantId, entryId)))) throw new NotFoundError(ENTRY_NOT_FOUND);
  }

  async addSources(tenantId: string, id: string, sources: NewSource[]): Promise<KnowledgeEntryDetailDto> {
    const entryId = requireId(id);
    const entry = await this.db.run(
      tenantId,
      async (tx) => {
        if (!(await this.entries.exists(tx, tenantId, entryId))) return null;
        await this.addSourcesIn(tx, tenantId, entryId, sources);
        return this.detailIn(tx, tenantId, entryId);
      },
      storing(sources),
    );
    const found = this.found(entry);
    this.ingestion.wake();
    return toEntryDetailDto(found);
  }

  async removeDocument(tenantId: string, id: string, documentId: string): Promise<void> {
    const entryId = requireId(id);
    const docId = requireId(documentId, 'Document not found');
    const removed = await this.db.run(tenantId, (tx) => this.lifecycle.remove(tx, tenantId, entryId, docId));
    if (!removed) throw new NotFoundError('Document not found');
  }

  async retry(tenantId: string, id: string): Promise<RetryResponseDto> {
    const entryId = requireId(id);
    const result = await this.db.run(tenantId, async (tx) => {
      if (!(await this.entries.exists(tx, tenantId, entryId))) return null;
      const requeued = await this.lifecycle.requeueFailed(tx, tenantId, entryId);
      await this.ingestion.enqueue(tx, tenantId, requeued);
      if (requeued.length > 0) await this.quotas.assertWithin(tx, tenantId, { documents: requeued.length, bytes: 0, uploads: false });
      return { requeued: requeued.length, entry: this.found(await this.detailIn(tx, tenantId, entryId)) };
    });
    if (!result) throw new NotFoundError(ENTRY_NOT_FOUND);
    if (result.requeued > 0) this.ingestion.wake();
    return { ...toEntryDetailDto(result.entry), requeued: result.requeued };
  }

  async chunks(tenantId: string, id: string, query: ChunksQueryDto): Promise<ChunkPageResponseDto> {
    const entryId = requireId(id);
    const documentId = query.document_id === undefined ? undefined : requireId(query.document_id, 'Document not found');
    const page = await this.db.run(
      tenantId,
      async (tx) =>
        (await this.entries.exists(tx, tenantId, entryId))
          ? this.embeddings.listChunks(tx, tenantId, entryId, { limit: query.limit, offset: query.offset, documentId })
          : null,
      { snapshot: true },
    );
    if (!page) throw new NotFoundError(ENTRY_NOT_FOUND);
    return { chunks: page.rows.map(toChunkDto), total_count: page.total };
  }

  private async addSourcesIn(tx: TenantTransaction, tenantId: string, entryId: string, sources: readonly NewSource[]): Promise<void> {
    const documentIds = await this.lifecycle.add(tx, tenantId, entryId, sources);
    await this.ingestion.enqueue(tx, tenantId, documentIds);
    // last, under the tenant's quota lock until commit: a refusal rolls back everything stored above
    await this.quotas.assertWithin(tx, tenantId, { documents: sources.length, bytes: sources.reduce((sum, s) => sum + s.byteSize, 0), uploads: true });
  }

  private async detailIn(tx: TenantTransaction, tenantId: string, id: string): Promise<KnowledgeEntryDetail | null> {
    const entry = await this.entries.find(tx, tenantId, id);
    if (!entry) return null;
    return { ...entry, documents: await this.documents.listForEntry(tx, tenantId, id) };
  }

  private found<T>(entry: T | null): T {
    if (entry === null) throw new NotFoundError(ENTRY_NOT_FOUND);
    return entry;
  }
}
