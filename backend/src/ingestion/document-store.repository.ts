import { Injectable } from '@nestjs/common';

import { TenantDatabase, type TenantTransaction } from '../database/tenant-database.js';
import type { NewEmbeddingChunk } from '../embeddings/embedding-chunk.js';
import { findReusableVectors, insertEmbeddings } from '../embeddings/embeddings.repository.js';
import { refreshEntryStatus } from '../knowledge/entry-status.js';
import type { ClaimedJob } from './ingestion-job.js';

export interface DocumentToProcess {
  id: string;
  knowledgeBaseId: string;
  sourceKind: 'file' | 'url' | 'text';
  filename: string | null;
  mimeType: string | null;
  sourceUrl: string | null;
  content: Buffer | null;
}

export interface ProcessedDocument {
  /** Milliseconds per stage, for the log. */
  timings: Record<string, number>;
  chunks: NewEmbeddingChunk[];
  pageCount: number | null;
  mimeType: string | null;
  byteSize: number | null;
}

/** The job was taken over by another worker (ours was presumed dead): nothing may be written. */
export class LostJobError extends Error {
  constructor(jobId: string) {
    super(`ingestion job ${jobId} is no longer held by this worker`);
    this.name = 'LostJobError';
  }
}

/**
 * Document state changes made by the ingestion worker. Finishing a document (its chunks, its
 * status, removing its job) is one transaction, so a document's chunks appear all at once, and a
 * worker killed half-way leaves nothing behind for the next one to trip over.
 */
@Injectable()
export class DocumentStoreRepository {
  constructor(private readonly db: TenantDatabase) {}

  /**
   * Loads a document for processing and shows it as `processing` at its first stage (`fetching`
   * for a URL, else `extracting`), in one transaction. Null when it was removed meanwhile.
   */
  async start(tenantId: string, documentId: string): Promise<DocumentToProcess | null> {
    return this.db.run(tenantId, async (tx) => {
      const doc = await tx.document.findFirst({
        where: { tenantId, id: documentId },
        select: { id: true, knowledgeBaseId: true, sourceKind: true, filename: true, mimeType: true, sourceUrl: true, content: true, status: true },
      });
      if (!doc) return null;
      const sourceKind = doc.sourceKind as DocumentToProcess['sourceKind'];
      const [stage, progress] = sourceKind === 'url' ? ['fetching', 2] : ['extracting', 10];
      await this.setStage(tx, tenantId, documentId, doc.knowledgeBaseId, doc.status, stage, progress);
      return {
        id: doc.id,
        knowledgeBaseId: doc.knowledgeBaseId,
        sourceKind,
        filename: doc.filename,
        mimeType: doc.mimeType,
        sourceUrl: doc.sourceUrl,
        content: doc.content ? Buffer.from(doc.content) : null,
      };
    });
  }

  /**
   * Shows the document at the `embedding` stage and returns the vectors this tenant already
   * stored for any of `contentHashes` with `model`, in one transaction.
   */
  async beginEmbedding(tenantId: string, doc: DocumentToProcess, model: string, contentHashes: readonly string[]): Promise<Map<string, number[]>> {
    return this.db.run(tenantId, async (tx) => {
      await this.setStage(tx, tenantId, doc.id, doc.knowledgeBaseId, 'processing', 'embedding', 40);
      return findReusableVectors(tx, tenantId, model, contentHashes);
    });
  }

  /** Embedding models this tenant's stored chunks use, other than `model`. */
  async otherModels(tenantId: string, model: string): Promise<string[]> {
    return this.db.run(tenantId, async (tx) => {
      const rows = await tx.embedding.findMany({ where: { tenantId, NOT: { model } }, distinct: ['model'], select: { model: true }, take: 5 });
      return rows.map((r) => r.model);
    });
  }

  /** Moves a started document (already `processing`, see `start`) to another stage; its entry's status is unchanged. */
  async markStage(tenantId: string, documentId: string, knowledgeBaseId: string, stage: string, progress: number): Promise<void> {
    await this.db.run(tenantId, (tx) => this.setStage(tx, tenantId, documentId, knowledgeBaseId, 'processing', stage, progress));
  }

  /** `statusBefore`: the document's status before this change; the entry's status is recomputed when it was not yet `processing`. */
  private async setStage(
    tx: TenantTransaction,
    tenantId: string,
    documentId: string,
    knowledgeBaseId: string,
    statusBefore: string | null,
    stage: string,
    progress: number,
  ): Promise<void> {
    await tx.document.updateMany({
      where: { tenantId, id: documentId },
      data: { status: 'processing', stage, progress: Math.max(0, Math.min(100, Math.round(progress))), error: null },
    });
    if (statusBefore !== 'processing') await refreshEntryStatus(tx, tenantId, knowledgeBaseId);
  }

  async complete(tenantId: string, job: ClaimedJob, workerId: string, knowledgeBaseId: string, result: ProcessedDocument): Promise<void> {
    await this.db.run(
      tenantId,
      async (tx) => {
        await this.releaseJob(tx, job, workerId);
        await tx.embedding.deleteMany({ where: { tenantId, documentId: job.documentId } });
        await insertEmbeddings(tx, tenantId, result.chunks, this.db.vectorEncoding);
        await tx.document.updateMany({
          where: { tenantId, id: job.documentId },
          data: {
            status: 'ready',
            stage: null,
            progress: 100,
            error: null,
            chunkCount: result.chunks.length,
            pageCount: result.pageCount,
            embeddingModel: result.chunks[0]?.model ?? null,
            processedAt: new Date(),
            ...(result.mimeType ? { mimeType: result.mimeType.slice(0, 100) } : {}),
            ...(result.byteSize !== null ? { byteSize: result.byteSize } : {}),
          },
        });
        await refreshEntryStatus(tx, tenantId, knowledgeBaseId);
      },
      { timeout: 120_000 },
    );
  }

  async fail(tenantId: string, job: ClaimedJob, workerId: string, knowledgeBaseId: string | null, message: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      await this.releaseJob(tx, job, workerId);
      await tx.document.updateMany({
        where: { tenantId, id: job.documentId },
        data: { status: 'failed', stage: null, error: message.slice(0, 2000), processedAt: new Date() },
      });
      if (knowledgeBaseId) await refreshEntryStatus(tx, tenantId, knowledgeBaseId);
    });
  }

  /** Shows the document as waiting for another attempt, with the reason. */
  async markRetrying(tenantId: string, documentId: string, knowledgeBaseId: string, message: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      await tx.document.updateMany({
        where: { tenantId, id: documentId },
        data: { status: 'queued', stage: 'retrying', progress: 0, error: message.slice(0, 2000) },
      });
      await refreshEntryStatus(tx, tenantId, knowledgeBaseId);
    });
  }

  private async releaseJob(tx: TenantTransaction, job: ClaimedJob, workerId: string): Promise<void> {
    const released = await tx.$executeRaw`
      DELETE FROM ingestion_jobs WHERE id = ${job.id}::uuid AND locked_by = ${workerId} AND status = 'running'`;
    if (released === 0) throw new LostJobError(job.id);
  }
}
