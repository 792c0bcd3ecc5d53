import { Injectable, Logger } from '@nestjs/common';

import { parseSourceUrl } from '../common/url/parse-source-url.js';
import { AppConfigService } from '../config/app-config.service.js';
import type { DocumentToProcess, ReadyDocument } from '../documents/document-rows.js';
import { EmbeddingError } from '../embeddings/providers/embedding-provider.js';
import { ExtractionError, UnsupportedTypeError } from '../extraction/extraction-errors.js';
import { ExtractionService, type PartsSummary } from '../extraction/extraction.service.js';
import { ChunkSink } from './chunk-sink.js';
import { EmbeddingBatcher, type BatchTicket } from './embedding-batcher.js';
import { PermanentIngestionError, TransientIngestionError, type ClaimedJob } from './ingestion-job.js';
import { IngestionStore } from './ingestion-store.service.js';
import { fetchUrl } from './url-fetcher.js';

/** How often, per tenant, stored chunks are checked for another embedding model. */
const MODEL_CHECK_INTERVAL_MS = 10 * 60_000;

/** Where a document's time went, ms (for the log line and the stage metrics); `parts` handed over by extraction. */
export interface ProcessingTimings {
  fetch_ms: number;
  extract_ms: number;
  first_chunk_stored_ms: number;
  embed_wait_ms: number;
  store_ms: number;
  parts: number;
}

/** A processed document: what it records when it becomes ready, and where its time went. */
export interface ProcessedDocument {
  ready: ReadyDocument;
  timings: ProcessingTimings;
}

/**
 * Turns one document into stored chunk embeddings: fetch (URLs), extract and chunk (in worker
 * threads; a big PDF in page spans, several at once), and, part by part as they come, embed
 * (reusing vectors of identical chunks, sharing requests with the documents processed alongside)
 * and store, so a book's first chunks are stored while its last pages are still being read.
 * Classifies every failure as permanent (the source itself is bad) or transient (worth another
 * attempt).
 */
@Injectable()
export class DocumentProcessor {
  private readonly logger = new Logger('DocumentProcessor');
  private readonly modelCheckedAt = new Map<string, number>();

  constructor(
    private readonly config: AppConfigService,
    private readonly store: IngestionStore,
    private readonly extraction: ExtractionService,
    private readonly batcher: EmbeddingBatcher,
  ) {}

  /**
   * A place in the shared embedding requests, taken when the document's job is claimed, so that
   * documents claimed together wait for each other's chunks. The caller leaves it when done.
   */
  joinBatch(): BatchTicket {
    return this.batcher.join();
  }

  /** `doc` has been started (`IngestionStore.start`): it shows as processing. Its chunks are stored when this resolves. */
  async process(job: ClaimedJob, workerId: string, doc: DocumentToProcess, ticket: BatchTicket, signal: AbortSignal): Promise<ProcessedDocument> {
    try {
      return await this.run(job, workerId, doc, ticket, signal);
    } finally {
      ticket.leave();
    }
  }

  private async run(job: ClaimedJob, workerId: string, doc: DocumentToProcess, ticket: BatchTicket, signal: AbortSignal): Promise<ProcessedDocument> {
    const { tenantId } = job;
    const started = performance.now();
    const { bytes, mimeType, filename } = await this.source(tenantId, doc, signal);
    signal.throwIfAborted();
    const fetched = performance.now();
    if (doc.sourceKind === 'url') await this.store.markStage(tenantId, doc.id, 'extracting', 10);

    const model = this.batcher.model;
    await this.warnAboutOtherModels(tenantId, model);
    const sink = new ChunkSink({ store: this.store, job, workerId, document: doc, model, ticket, signal, embed: (t, texts, s) => this.embed(t, texts, s) });
    let summary: PartsSummary;
    try {
      summary = await this.extract(bytes, { filename, mimeType }, { owner: tenantId, group: doc.id, onPart: (chunks, progress) => sink.add(chunks, progress) });
    } catch (error) {
      await sink.abandon();
      throw error;
    }
    const extracted = performance.now();
    await sink.finish();
    signal.throwIfAborted();
    if (summary.chunkCount === 0) throw new PermanentIngestionError('The source contains no extractable text');
    return {
      ready: {
        chunkCount: summary.chunkCount,
        pageCount: summary.document.pageCount,
        embeddingModel: model,
        mimeType: doc.sourceKind === 'url' ? summary.document.mimeType : null,
        byteSize: doc.sourceKind === 'url' ? bytes.length : null,
      },
      timings: {
        fetch_ms: Math.round(fetched - started),
        extract_ms: Math.round(extracted - fetched),
        first_chunk_stored_ms: Math.round((sink.firstStoredAt ?? performance.now()) - started),
        embed_wait_ms: Math.round(sink.embedWaitMs),
        store_ms: Math.round(sink.storeMs),
        parts: sink.parts,
      },
    };
  }

  private async source(
    tenantId: string,
    doc: DocumentToProcess,
    signal: AbortSignal,
  ): Promise<{ bytes: Buffer; mimeType: string | undefined; filename: string | undefined }> {
    if (doc.sourceKind !== 'url') {
      if (!doc.content) throw new PermanentIngestionError('The source content is missing');
      return { bytes: doc.content, mimeType: doc.mimeType ?? undefined, filename: doc.filename ?? undefined };
    }
    if (!doc.sourceUrl) throw new PermanentIngestionError('The source URL is missing');
    const page = await fetchUrl(parseSourceUrl(doc.sourceUrl), this.config.get('urlFetch'), signal);
    const mime = page.contentType?.split(';')[0]?.trim();
    const name = new URL(page.finalUrl).pathname.split('/').pop() || undefined;
    return { bytes: page.body, mimeType: mime, filename: name };
  }

  private async extract(
    bytes: Buffer,
    hints: { filename?: string; mimeType?: string },
    options: Parameters<ExtractionService['extractInParts']>[3],
  ): Promise<PartsSummary> {
    try {
      return await this.extraction.extractInParts(bytes, hints, this.config.get('chunking'), options);
    } catch (error) {
      // written for people (see ExtractionError)
      if (error instanceof ExtractionError || error instanceof UnsupportedTypeError) throw new PermanentIngestionError(error.message);
      throw error;
    }
  }

  /** Vectors of different models are not comparable: say so loudly (at most every few minutes per tenant); search uses the current model only. */
  private async warnAboutOtherModels(tenantId: string, model: string): Promise<void> {
    const now = Date.now();
    if (now - (this.modelCheckedAt.get(tenantId) ?? -Infinity) < MODEL_CHECK_INTERVAL_MS) return;
    this.modelCheckedAt.set(tenantId, now);
    const others = await this.store.otherModels(tenantId, model);
    if (others.length > 0) {
      this.logger.warn(`tenant ${tenantId} has chunks embedded with ${others.join(', ')}; new chunks use ${model}. Re-embed older documents to search them together.`);
    }
  }

  private async embed(ticket: BatchTicket, texts: string[], signal: AbortSignal): Promise<number[][]> {
    try {
      return await ticket.embed(texts, signal, { final: false });
    } catch (error) {
      if (error instanceof EmbeddingError) {
        // the service's own words (and where it lives) go to the log, not to the document
        const detail = `embedding service${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`;
        throw error.transient
          ? new TransientIngestionError('The embedding service is not available at the moment', detail)
          : new PermanentIngestionError('The embedding service refused the request', detail);
      }
      throw error;
    }
  }
}
