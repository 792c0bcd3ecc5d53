import type { DocumentStatus } from '@business-brain/contract';
import { Injectable } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import { assertTenantId } from '../database/assert-tenant-id.js';
import type { TenantTransaction } from '../database/tenant-database.js';
import { Prisma } from '../generated/prisma/client.js';
import type { DocumentRow, DocumentToProcess, ReadyDocument } from './document-rows.js';
import type { NewSource } from './new-source.js';

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
} as const satisfies Prisma.DocumentSelect;

/** A tenant's documents as its quotas count them (see `quotaUsage`). */
export interface QuotaUsage {
  pending: number;
  storedBytes: number;
  addedLastMinute: number;
}

/** Another entry of the tenant already holds this source. */
export interface DuplicateSource {
  contentHash: string;
  knowledgeBaseId: string;
  title: string;
}

const isUniqueViolation = (error: unknown): boolean => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

const entryOf = (rows: { knowledgeBaseId: string }[]): string | null => rows[0]?.knowledgeBaseId ?? null;

/** A view of a Buffer's bytes, not a copy: an upload is not held twice on its way to the driver. */
const bytesOf = (buffer: Buffer): Uint8Array<ArrayBuffer> =>
  buffer.buffer instanceof ArrayBuffer ? new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength) : new Uint8Array(buffer);

const clampProgress = (progress: number): number => Math.max(0, Math.min(100, Math.round(progress)));

/**
 * The one writer of `documents`. Every method runs in the caller's tenant transaction and takes
 * the tenant id, which it also filters on explicitly. Status changes that move an entry's status
 * go through `DocumentLifecycle`, which keeps the entry in step.
 */
@Injectable()
export class DocumentsRepository {
  /** Stores a new source as a queued document; a duplicate of one the tenant already has is a 409. */
  async insert(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string, source: NewSource): Promise<string> {
    assertTenantId(tenantId);
    try {
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
          content: source.content ? bytesOf(source.content) : null,
          status: 'queued' satisfies DocumentStatus,
        },
        select: { id: true },
      });
      return doc.id;
    } catch (error) {
      // two requests raced with the same source: the unique index decided, this one lost
      if (isUniqueViolation(error)) throw new AppError('conflict', 'Duplicate source: it was added by a concurrent request');
      throw error;
    }
  }

  /** The first of `contentHashes` the tenant already holds, with the entry holding it. */
  async findDuplicate(tx: TenantTransaction, tenantId: string, contentHashes: readonly string[]): Promise<DuplicateSource | null> {
    assertTenantId(tenantId);
    if (contentHashes.length === 0) return null;
    const existing = await tx.document.findFirst({
      where: { tenantId, contentHash: { in: [...contentHashes] } },
      select: { contentHash: true, knowledgeBase: { select: { id: true, title: true } } },
    });
    return existing ? { contentHash: existing.contentHash, knowledgeBaseId: existing.knowledgeBase.id, title: existing.knowledgeBase.title } : null;
  }

  async listForEntry(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string): Promise<DocumentRow[]> {
    assertTenantId(tenantId);
    return tx.document.findMany({ where: { tenantId, knowledgeBaseId }, select: DOCUMENT_SELECT, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  /** The documents of several entries in one statement, by entry, each list in `listForEntry`'s order. */
  async listForEntries(tx: TenantTransaction, tenantId: string, knowledgeBaseIds: readonly string[]): Promise<Map<string, DocumentRow[]>> {
    assertTenantId(tenantId);
    const byEntry = new Map<string, DocumentRow[]>(knowledgeBaseIds.map((id) => [id, []]));
    if (knowledgeBaseIds.length === 0) return byEntry;
    const rows = await tx.document.findMany({
      where: { tenantId, knowledgeBaseId: { in: [...knowledgeBaseIds] } },
      select: { ...DOCUMENT_SELECT, knowledgeBaseId: true },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    for (const { knowledgeBaseId, ...row } of rows) byEntry.get(knowledgeBaseId)?.push(row);
    return byEntry;
  }

  /** Ids of the entry's documents in `status`. */
  async idsWithStatus(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string, status: DocumentStatus): Promise<string[]> {
    assertTenantId(tenantId);
    const rows = await tx.document.findMany({ where: { tenantId, knowledgeBaseId, status }, select: { id: true }, orderBy: { createdAt: 'asc' } });
    return rows.map((r) => r.id);
  }

  /** False when the entry holds no such document. */
  async delete(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string, id: string): Promise<boolean> {
    assertTenantId(tenantId);
    return (await tx.document.deleteMany({ where: { tenantId, knowledgeBaseId, id } })).count > 0;
  }

  /** A document with its content, for processing, and its current status; null when it is gone. */
  async findForProcessing(tx: TenantTransaction, tenantId: string, id: string): Promise<(DocumentToProcess & { status: string }) | null> {
    assertTenantId(tenantId);
    const doc = await tx.document.findFirst({
      where: { tenantId, id },
      select: { id: true, knowledgeBaseId: true, sourceKind: true, filename: true, mimeType: true, sourceUrl: true, content: true, status: true },
    });
    if (!doc) return null;
    return {
      id: doc.id,
      knowledgeBaseId: doc.knowledgeBaseId,
      sourceKind: doc.sourceKind as DocumentToProcess['sourceKind'],
      filename: doc.filename,
      mimeType: doc.mimeType,
      sourceUrl: doc.sourceUrl,
      content: doc.content ? Buffer.from(doc.content) : null,
      status: doc.status,
    };
  }

  /** Shows the documents as queued again, from the start. */
  async requeue(tx: TenantTransaction, tenantId: string, ids: readonly string[]): Promise<void> {
    assertTenantId(tenantId);
    if (ids.length === 0) return;
    await tx.document.updateMany({
      where: { tenantId, id: { in: [...ids] } },
      data: { status: 'queued' satisfies DocumentStatus, stage: null, progress: 0, error: null, processedAt: null },
    });
  }

  /** Shows the document as processing, at `stage`. */
  async setStage(tx: TenantTransaction, tenantId: string, id: string, stage: string, progress: number): Promise<void> {
    assertTenantId(tenantId);
    await tx.document.updateMany({
      where: { tenantId, id },
      data: { status: 'processing' satisfies DocumentStatus, stage, progress: clampProgress(progress), error: null },
    });
  }

  /** The changes below answer the document's entry id, or null when the document is gone. */
  async markReady(tx: TenantTransaction, tenantId: string, id: string, ready: ReadyDocument): Promise<string | null> {
    assertTenantId(tenantId);
    return entryOf(await tx.document.updateManyAndReturn({
      where: { tenantId, id },
      data: {
        status: 'ready' satisfies DocumentStatus,
        stage: null,
        progress: 100,
        error: null,
        chunkCount: ready.chunkCount,
        pageCount: ready.pageCount,
        embeddingModel: ready.embeddingModel,
        processedAt: new Date(),
        ...(ready.mimeType ? { mimeType: ready.mimeType.slice(0, 100) } : {}),
        ...(ready.byteSize !== null ? { byteSize: ready.byteSize } : {}),
      },
      select: { knowledgeBaseId: true },
    }));
  }

  /**
   * Records that the tenant's processed documents' chunks now carry `model` (re-embedding's swap);
   * documents not processed yet get theirs when they become ready.
   */
  async setEmbeddingModel(tx: TenantTransaction, tenantId: string, model: string): Promise<number> {
    assertTenantId(tenantId);
    return (await tx.document.updateMany({ where: { tenantId, embeddingModel: { not: null }, NOT: { embeddingModel: model } }, data: { embeddingModel: model } })).count;
  }

  async markFailed(tx: TenantTransaction, tenantId: string, id: string, message: string): Promise<string | null> {
    assertTenantId(tenantId);
    return entryOf(
      await tx.document.updateManyAndReturn({
        where: { tenantId, id },
        data: { status: 'failed' satisfies DocumentStatus, stage: null, error: message.slice(0, 2000), processedAt: new Date() },
        select: { knowledgeBaseId: true },
      }),
    );
  }

  /**
   * What the tenant's quotas are measured on, in one statement: documents queued or processing,
   * bytes stored (the documents' sizes; a URL's counts once fetched), and documents added in the
   * last 60 seconds by database time (this transaction's own included).
   */
  async quotaUsage(tx: TenantTransaction, tenantId: string): Promise<QuotaUsage> {
    assertTenantId(tenantId);
    const [row] = await tx.$queryRaw<{ pending: number; stored_bytes: number; recent: number }[]>(Prisma.sql`
      SELECT count(*) FILTER (WHERE status IN ('queued', 'processing'))::int AS pending,
             coalesce(sum(byte_size), 0)::float8 AS stored_bytes,
             count(*) FILTER (WHERE created_at > now() - interval '60 seconds')::int AS recent
        FROM documents WHERE tenant_id = ${tenantId}::uuid`);
    return { pending: row?.pending ?? 0, storedBytes: row?.stored_bytes ?? 0, addedLastMinute: row?.recent ?? 0 };
  }

  /** Seconds until all but `keep` of the documents added in the last 60 seconds are older than that. */
  async secondsUntilRecentAtMost(tx: TenantTransaction, tenantId: string, keep: number): Promise<number> {
    assertTenantId(tenantId);
    const [row] = await tx.$queryRaw<{ wait: number }[]>(Prisma.sql`
      SELECT extract(epoch FROM created_at + interval '60 seconds' - now())::float8 AS wait
        FROM documents WHERE tenant_id = ${tenantId}::uuid AND created_at > now() - interval '60 seconds'
       ORDER BY created_at DESC OFFSET ${Math.max(0, keep)} LIMIT 1`);
    return Math.max(0, row?.wait ?? 0);
  }

  /** Shows the document as waiting for another attempt, with the reason. */
  async markRetrying(tx: TenantTransaction, tenantId: string, id: string, message: string): Promise<string | null> {
    assertTenantId(tenantId);
    return entryOf(
      await tx.document.updateManyAndReturn({
        where: { tenantId, id },
        data: { status: 'queued' satisfies DocumentStatus, stage: 'retrying', progress: 0, error: message.slice(0, 2000) },
        select: { knowledgeBaseId: true },
      }),
    );
  }
}
