import { Injectable } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import { Prisma } from '../generated/prisma/client.js';
import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import { IngestionQueueRepository } from '../ingestion/ingestion-queue.repository.js';
import { refreshEntryStatus } from './entry-status.js';
import type { NewSource } from './new-source.js';

export interface KnowledgeEntryRow {
  id: string;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  status: string;
  createdAt: Date;
  updatedAt: Date;
  documentCount: number;
  chunkCount: number;
}

export interface DocumentRow {
  id: string;
  sourceKind: string;
  filename: string | null;
  sourceUrl: string | null;
  mimeType: string | null;
  byteSize: number;
  status: string;
  stage: string | null;
  progress: number;
  error: string | null;
  chunkCount: number;
  pageCount: number | null;
  embeddingModel: string | null;
  createdAt: Date;
  updatedAt: Date;
  processedAt: Date | null;
}

export interface KnowledgeEntryDetail extends KnowledgeEntryRow {
  documents: DocumentRow[];
}

export interface KnowledgeFilters {
  limit: number;
  offset: number;
  type?: string;
  intent?: string;
  tag?: string;
  status?: string;
  q?: string;
}

export interface EntryMetadata {
  title: string;
  type: string;
  intent: string;
  tags: string[];
}

export interface ChunkRow {
  id: string;
  documentId: string;
  position: number;
  content: string;
  tokenCount: number;
  pageNumber: number | null;
  charStart: number;
  charEnd: number;
  model: string;
}

const DOCUMENT_SELECT = {
  id: true,
  sourceKind: true,
  filename: true,
  sourceUrl: true,
  mimeType: true,
  byteSize: true,
  status: true,
  stage: true,
  progress: true,
  error: true,
  chunkCount: true,
  pageCount: true,
  embeddingModel: true,
  createdAt: true,
  updatedAt: true,
  processedAt: true,
} as const;

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/** Knowledge entries (`knowledge_bases`) and their documents. Every method takes the tenant id first. */
@Injectable()
export class KnowledgeRepository {
  constructor(
    private readonly db: TenantDatabase,
    private readonly queue: IngestionQueueRepository,
  ) {}

  async list(tenantId: string, filters: KnowledgeFilters): Promise<{ rows: KnowledgeEntryRow[]; total: number }> {
    return this.db.run(tenantId, async (tx) => {
      const where: Prisma.KnowledgeBaseWhereInput = {
        tenantId,
        ...(filters.type ? { type: filters.type } : {}),
        ...(filters.intent ? { intent: filters.intent } : {}),
        ...(filters.status ? { status: filters.status } : {}),
        ...(filters.tag ? { tags: { has: filters.tag } } : {}),
        ...(filters.q ? { title: { contains: escapeLike(filters.q), mode: 'insensitive' as const } } : {}),
      };
      const [total, rows] = await Promise.all([
        tx.knowledgeBase.count({ where }),
        tx.knowledgeBase.findMany({
          where,
          orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
          take: filters.limit,
          skip: filters.offset,
          include: { _count: { select: { documents: true } } },
        }),
      ]);
      // chunk counts from the documents (each ready one records its own), not by counting chunks
      const sums = await tx.document.groupBy({
        by: ['knowledgeBaseId'],
        where: { tenantId, knowledgeBaseId: { in: rows.map((r) => r.id) } },
        _sum: { chunkCount: true },
      });
      const chunks = new Map(sums.map((s) => [s.knowledgeBaseId, s._sum.chunkCount ?? 0]));
      return { total, rows: rows.map((r) => toEntryRow(r, chunks.get(r.id) ?? 0)) };
    }, { snapshot: true });
  }

  async find(tenantId: string, id: string): Promise<KnowledgeEntryDetail | null> {
    return this.db.run(tenantId, (tx) => this.findIn(tx, tenantId, id), { snapshot: true });
  }

  /** Creates the entry, its documents and their ingestion jobs in one transaction. */
  async create(tenantId: string, metadata: EntryMetadata, sources: NewSource[], maxAttempts: number): Promise<KnowledgeEntryDetail> {
    return this.db.run(tenantId, async (tx) => {
      await this.assertNoDuplicates(tx, tenantId, sources);
      const entry = await tx.knowledgeBase.create({
        data: { tenantId, ...metadata, status: sources.length > 0 ? 'queued' : 'ready' },
      });
      await this.insertSources(tx, tenantId, entry.id, sources, maxAttempts);
      const detail = await this.findIn(tx, tenantId, entry.id);
      if (!detail) throw new Error('entry vanished inside its own transaction');
      return detail;
    });
  }

  async addSources(tenantId: string, id: string, sources: NewSource[], maxAttempts: number): Promise<KnowledgeEntryDetail | null> {
    return this.db.run(tenantId, async (tx) => {
      if (!(await this.entryExists(tx, tenantId, id))) return null;
      await this.assertNoDuplicates(tx, tenantId, sources);
      await this.insertSources(tx, tenantId, id, sources, maxAttempts);
      await refreshEntryStatus(tx, tenantId, id);
      return this.findIn(tx, tenantId, id);
    });
  }

  async update(tenantId: string, id: string, patch: Partial<EntryMetadata>): Promise<KnowledgeEntryDetail | null> {
    return this.db.run(tenantId, async (tx) => {
      const changed = await tx.knowledgeBase.updateMany({ where: { tenantId, id }, data: patch });
      return changed.count === 0 ? null : this.findIn(tx, tenantId, id);
    });
  }

  /** Deletes the entry; its documents, jobs and embeddings go with it (ON DELETE CASCADE). */
  async delete(tenantId: string, id: string): Promise<boolean> {
    return this.db.run(tenantId, async (tx) => (await tx.knowledgeBase.deleteMany({ where: { tenantId, id } })).count > 0);
  }

  async removeDocument(tenantId: string, id: string, documentId: string): Promise<boolean> {
    return this.db.run(tenantId, async (tx) => {
      const removed = await tx.document.deleteMany({ where: { tenantId, knowledgeBaseId: id, id: documentId } });
      if (removed.count === 0) return false;
      await refreshEntryStatus(tx, tenantId, id);
      return true;
    });
  }

  /** Re-queues the entry's failed documents; null when the entry does not exist. */
  async retryFailed(tenantId: string, id: string, maxAttempts: number): Promise<{ requeued: number; entry: KnowledgeEntryDetail } | null> {
    return this.db.run(tenantId, async (tx) => {
      if (!(await this.entryExists(tx, tenantId, id))) return null;
      const failed = await tx.document.findMany({ where: { tenantId, knowledgeBaseId: id, status: 'failed' }, select: { id: true } });
      for (const doc of failed) {
        await tx.document.update({
          where: { id: doc.id },
          data: { status: 'queued', stage: null, progress: 0, error: null, processedAt: null },
        });
        await this.queue.enqueue(tx, tenantId, doc.id, maxAttempts);
      }
      await refreshEntryStatus(tx, tenantId, id);
      const entry = await this.findIn(tx, tenantId, id);
      if (!entry) throw new Error('entry vanished inside its own transaction');
      return { requeued: failed.length, entry };
    });
  }

  async listChunks(
    tenantId: string,
    id: string,
    page: { limit: number; offset: number; documentId?: string },
  ): Promise<{ rows: ChunkRow[]; total: number } | null> {
    return this.db.run(tenantId, async (tx) => {
      if (!(await this.entryExists(tx, tenantId, id))) return null;
      const where: Prisma.EmbeddingWhereInput = { tenantId, knowledgeBaseId: id, ...(page.documentId ? { documentId: page.documentId } : {}) };
      const [total, rows] = await Promise.all([
        tx.embedding.count({ where }),
        tx.embedding.findMany({
          where,
          orderBy: [{ document: { createdAt: 'asc' } }, { documentId: 'asc' }, { position: 'asc' }],
          take: page.limit,
          skip: page.offset,
          select: { id: true, documentId: true, position: true, content: true, tokenCount: true, pageNumber: true, charStart: true, charEnd: true, model: true },
        }),
      ]);
      return { total, rows };
    }, { snapshot: true });
  }

  private async entryExists(tx: TenantTransaction, tenantId: string, id: string): Promise<boolean> {
    return (await tx.knowledgeBase.findFirst({ where: { tenantId, id }, select: { id: true } })) !== null;
  }

  private async findIn(tx: TenantTransaction, tenantId: string, id: string): Promise<KnowledgeEntryDetail | null> {
    const entry = await tx.knowledgeBase.findFirst({
      where: { tenantId, id },
      include: {
        _count: { select: { documents: true } },
        documents: { select: DOCUMENT_SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] },
      },
    });
    if (!entry) return null;
    const chunkCount = entry.documents.reduce((n, d) => n + d.chunkCount, 0);
    return { ...toEntryRow(entry, chunkCount), documents: entry.documents };
  }

  private async assertNoDuplicates(tx: TenantTransaction, tenantId: string, sources: NewSource[]): Promise<void> {
    const hashes = sources.map((s) => s.contentHash);
    const repeated = sources.find((s, i) => hashes.indexOf(s.contentHash) !== i);
    if (repeated) throw new AppError('conflict', `The same source was sent twice in this request (${describeSource(repeated)})`);
    const existing = await tx.document.findFirst({
      where: { tenantId, contentHash: { in: hashes } },
      select: { contentHash: true, knowledgeBase: { select: { id: true, title: true } } },
    });
    if (existing) {
      const source = sources.find((s) => s.contentHash === existing.contentHash);
      throw new AppError(
        'conflict',
        `Duplicate source: ${source ? describeSource(source) : 'this source'} is already in knowledge entry ${existing.knowledgeBase.id} ("${existing.knowledgeBase.title}")`,
        { existingEntryId: existing.knowledgeBase.id },
      );
    }
  }

  private async insertSources(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string, sources: NewSource[], maxAttempts: number): Promise<void> {
    for (const source of sources) {
      const doc = await tx.document.create({
        data: {
          tenantId,
          knowledgeBaseId,
          sourceKind: source.kind,
          filename: source.filename,
          sourceUrl: source.sourceUrl,
          mimeType: source.mimeType,
          byteSize: source.byteSize,
          contentHash: source.contentHash,
          content: source.content ? new Uint8Array(source.content) : null,
          status: 'queued',
        },
        select: { id: true },
      });
      await this.queue.enqueue(tx, tenantId, doc.id, maxAttempts);
    }
  }
}

const describeSource = (source: NewSource): string =>
  source.kind === 'file' ? `file "${source.filename ?? 'upload'}"` : source.kind === 'url' ? `URL ${source.sourceUrl ?? ''}` : 'this text';

/** `chunkCount`: the sum of the entry's documents' `chunk_count`, which each document sets in the transaction that stores its chunks. */
const toEntryRow = (
  row: { id: string; title: string; type: string; intent: string; tags: string[]; status: string; createdAt: Date; updatedAt: Date } & {
    _count: { documents: number };
  },
  chunkCount: number,
): KnowledgeEntryRow => ({
  id: row.id,
  title: row.title,
  type: row.type,
  intent: row.intent,
  tags: row.tags,
  status: row.status,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
  documentCount: row._count.documents,
  chunkCount,
});
