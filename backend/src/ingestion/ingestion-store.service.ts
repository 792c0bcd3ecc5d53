import { Injectable } from '@nestjs/common';

import { TenantDatabase } from '../database/tenant-database.js';
import type { DocumentToProcess } from '../documents/document-rows.js';
import { DocumentLifecycle } from '../documents/document-lifecycle.service.js';
import type { NewEmbeddingChunk } from '../embeddings/embedding-chunk.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import type { ClaimedJob } from './ingestion-job.js';
import { IngestionJobsRepository } from './ingestion-jobs.repository.js';

export interface ProcessedDocument {
  /** Milliseconds per stage, for the log. */
  timings: Record<string, number>;
  chunks: NewEmbeddingChunk[];
  pageCount: number | null;
  mimeType: string | null;
  byteSize: number | null;
}

/**
 * What the ingestion worker writes, each step one tenant transaction over the documents,
 * embeddings and job repositories. Finishing a document (its chunks, its status, removing its
 * job) is one transaction, so a document's chunks appear all at once, and a worker killed
 * half-way leaves nothing behind for the next one to trip over.
 */
@Injectable()
export class IngestionStore {
  constructor(
    private readonly db: TenantDatabase,
    private readonly lifecycle: DocumentLifecycle,
    private readonly embeddings: EmbeddingsRepository,
    private readonly jobs: IngestionJobsRepository,
  ) {}

  /** Loads a document for processing and shows it as processing. Null when it was removed meanwhile. */
  start(tenantId: string, documentId: string): Promise<DocumentToProcess | null> {
    return this.db.run(tenantId, (tx) => this.lifecycle.start(tx, tenantId, documentId));
  }

  /** Moves a started document to another stage. */
  markStage(tenantId: string, documentId: string, stage: string, progress: number): Promise<void> {
    return this.db.run(tenantId, (tx) => this.lifecycle.advance(tx, tenantId, documentId, stage, progress));
  }

  /**
   * Shows the document at the `embedding` stage and returns the vectors this tenant already
   * stored for any of `contentHashes` with `model`, in one transaction.
   */
  beginEmbedding(tenantId: string, doc: DocumentToProcess, model: string, contentHashes: readonly string[]): Promise<Map<string, number[]>> {
    return this.db.run(tenantId, async (tx) => {
      await this.lifecycle.advance(tx, tenantId, doc.id, 'embedding', 40);
      return this.embeddings.findReusableVectors(tx, tenantId, model, contentHashes);
    });
  }

  /** Embedding models this tenant's stored chunks use, other than `model`. */
  otherModels(tenantId: string, model: string): Promise<string[]> {
    return this.db.run(tenantId, (tx) => this.embeddings.otherModels(tx, tenantId, model));
  }

  async complete(tenantId: string, job: ClaimedJob, workerId: string, result: ProcessedDocument): Promise<void> {
    await this.db.run(
      tenantId,
      async (tx) => {
        await this.jobs.release(tx, tenantId, job, workerId);
        await this.embeddings.deleteForDocument(tx, tenantId, job.documentId);
        await this.embeddings.insert(tx, tenantId, result.chunks);
        await this.lifecycle.markReady(tx, tenantId, job.documentId, {
          chunkCount: result.chunks.length,
          pageCount: result.pageCount,
          embeddingModel: result.chunks[0]?.model ?? null,
          mimeType: result.mimeType,
          byteSize: result.byteSize,
        });
      },
      { timeout: 120_000 },
    );
  }

  async fail(tenantId: string, job: ClaimedJob, workerId: string, message: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      await this.jobs.release(tx, tenantId, job, workerId);
      await this.lifecycle.markFailed(tx, tenantId, job.documentId, message);
    });
  }

  /** Shows the document as waiting for another attempt, with the reason. */
  async markRetrying(tenantId: string, documentId: string, message: string): Promise<void> {
    await this.db.run(tenantId, (tx) => this.lifecycle.markRetrying(tx, tenantId, documentId, message));
  }
}
