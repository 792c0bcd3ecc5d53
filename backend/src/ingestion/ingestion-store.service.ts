import { Injectable } from '@nestjs/common';

import { Semaphore } from '../common/scheduling/semaphore.js';
import { AppConfigService } from '../config/app-config.service.js';
import { TenantDatabase } from '../database/tenant-database.js';
import type { DocumentToProcess, ReadyDocument } from '../documents/document-rows.js';
import { DocumentLifecycle } from '../documents/document-lifecycle.service.js';
import type { NewEmbeddingChunk } from '../embeddings/embedding-chunk.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import type { ClaimedJob } from './ingestion-job.js';
import { IngestionJobsRepository } from './ingestion-jobs.repository.js';

/**
 * What the ingestion worker writes, each step one short tenant transaction over the documents,
 * embeddings and job repositories. A document's chunks are stored as they are embedded, a batch
 * per transaction, while the document shows as processing (nothing reads them before it is
 * ready); the last transaction marks it ready and removes its job. A worker killed half-way
 * leaves chunks of a document still processing, which the next attempt removes first.
 */
@Injectable()
export class IngestionStore {
  /** Chunks per storing transaction: how long one statement of HNSW inserts holds the engine. */
  readonly batchSize: number;
  /** Storing transactions at once across documents, so API requests always find a pooled connection. */
  private readonly storing: Semaphore;

  constructor(
    private readonly db: TenantDatabase,
    private readonly lifecycle: DocumentLifecycle,
    private readonly embeddings: EmbeddingsRepository,
    private readonly jobs: IngestionJobsRepository,
    config: AppConfigService,
  ) {
    const database = config.get('database');
    // PGlite runs one statement at a time for everyone: short ones let other tenants' requests through
    this.batchSize = database.engine === 'pglite' ? 4 : 128;
    this.storing = new Semaphore(database.engine === 'pglite' ? 1 : Math.max(1, Math.floor(database.poolMax / 3)));
  }

  /** Loads a document for processing, shows it as processing and removes what an interrupted attempt stored. Null when it was removed meanwhile. */
  start(tenantId: string, documentId: string): Promise<DocumentToProcess | null> {
    return this.db.run(tenantId, async (tx) => {
      const doc = await this.lifecycle.start(tx, tenantId, documentId);
      if (doc) await this.embeddings.deleteForDocument(tx, tenantId, documentId);
      return doc;
    });
  }

  /** Moves a started document to another stage. */
  markStage(tenantId: string, documentId: string, stage: string, progress: number): Promise<void> {
    return this.db.run(tenantId, (tx) => this.lifecycle.advance(tx, tenantId, documentId, stage, progress));
  }

  /**
   * Vectors this tenant already stored for any of `contentHashes` with `model`; moves the
   * document to `stage` first, in the same transaction, when one is given.
   */
  reusableVectors(
    tenantId: string,
    model: string,
    contentHashes: readonly string[],
    stage?: { documentId: string; stage: string; progress: number },
  ): Promise<Map<string, number[]>> {
    return this.db.run(tenantId, async (tx) => {
      if (stage) await this.lifecycle.advance(tx, tenantId, stage.documentId, stage.stage, stage.progress);
      return contentHashes.length === 0 ? new Map<string, number[]>() : this.embeddings.findReusableVectors(tx, tenantId, model, contentHashes);
    });
  }

  /** Embedding models this tenant's stored chunks use, other than `model`. */
  otherModels(tenantId: string, model: string): Promise<string[]> {
    return this.db.run(tenantId, (tx) => this.embeddings.otherModels(tx, tenantId, model));
  }

  /** Stores a batch of the document's chunks (at most `batchSize`), while the job is still this worker's. */
  async storeChunks(tenantId: string, job: ClaimedJob, workerId: string, chunks: readonly NewEmbeddingChunk[], progress: number): Promise<void> {
    await this.storing.run(() =>
      this.db.run(tenantId, async (tx) => {
        await this.jobs.assertHeld(tx, tenantId, job, workerId);
        await this.embeddings.insert(tx, tenantId, chunks);
        await this.lifecycle.advance(tx, tenantId, job.documentId, 'embedding', progress);
      }),
    );
  }

  /** Marks the document ready (its chunks are all stored) and removes its job. */
  async complete(tenantId: string, job: ClaimedJob, workerId: string, ready: ReadyDocument): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      await this.jobs.release(tx, tenantId, job, workerId);
      await this.lifecycle.markReady(tx, tenantId, job.documentId, ready);
    });
  }

  /** Fails the document for good: its job goes, and any chunks stored so far with it. */
  async fail(tenantId: string, job: ClaimedJob, workerId: string, message: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      await this.jobs.release(tx, tenantId, job, workerId);
      await this.embeddings.deleteForDocument(tx, tenantId, job.documentId);
      await this.lifecycle.markFailed(tx, tenantId, job.documentId, message);
    });
  }

  /** Shows the document as waiting for another attempt, with the reason; chunks stored so far go. */
  async markRetrying(tenantId: string, documentId: string, message: string): Promise<void> {
    await this.db.run(tenantId, async (tx) => {
      await this.embeddings.deleteForDocument(tx, tenantId, documentId);
      await this.lifecycle.markRetrying(tx, tenantId, documentId, message);
    });
  }
}
