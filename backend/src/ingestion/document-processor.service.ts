import { Injectable, Logger } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import type { NewEmbeddingChunk } from '../embeddings/embedding-chunk.js';
import { EmbeddingError } from '../embeddings/providers/embedding-provider.js';
import type { HashedChunk } from '../extraction/chunked-text.js';
import { ExtractionError, UnsupportedTypeError } from '../extraction/extraction-errors.js';
import { ExtractionService } from '../extraction/extraction.service.js';
import type { ExtractedDocument } from '../extraction/extracted-document.js';
import type { DocumentToProcess } from '../documents/document-rows.js';
import { EmbeddingBatcher, type BatchTicket } from './embedding-batcher.js';
import { PermanentIngestionError, TransientIngestionError } from './ingestion-job.js';
import { IngestionStore, type ProcessedDocument } from './ingestion-store.service.js';
import { parseSourceUrl } from '../common/url/parse-source-url.js';
import { fetchUrl } from './url-fetcher.js';

/** Texts handed to the batcher at a time; progress is reported between groups. */
const EMBED_GROUP = 512;
/** How often, per tenant, stored chunks are checked for another embedding model. */
const MODEL_CHECK_INTERVAL_MS = 10 * 60_000;

/**
 * Turns one document into stored chunk embeddings: fetch (URLs), extract and chunk (in a worker
 * thread), embed (reusing vectors of identical chunks, sharing requests with the documents
 * processed alongside), and hands the result to the store. Classifies every failure as permanent
 * (the source itself is bad) or transient (worth another attempt).
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

  /** `doc` has been started (`IngestionStore.start`): it shows as processing. */
  async process(tenantId: string, doc: DocumentToProcess, ticket: BatchTicket, signal: AbortSignal): Promise<ProcessedDocument> {
    try {
      return await this.run(tenantId, doc, ticket, signal);
    } finally {
      ticket.leave();
    }
  }

  private async run(tenantId: string, doc: DocumentToProcess, ticket: BatchTicket, signal: AbortSignal): Promise<ProcessedDocument> {
    const timings: Record<string, number> = {};
    let mark = performance.now();
    const lap = (stage: string): void => {
      const now = performance.now();
      timings[stage] = Math.round(now - mark);
      mark = now;
    };
    const { bytes, mimeType, filename } = await this.source(tenantId, doc, signal);
    signal.throwIfAborted();
    lap('fetch_ms');

    if (doc.sourceKind === 'url') await this.store.markStage(tenantId, doc.id, 'extracting', 10);
    const { document: extracted, chunks } = await this.extract(bytes, { filename, mimeType });
    signal.throwIfAborted();
    if (chunks.length === 0) throw new PermanentIngestionError('the source contains no extractable text');
    lap('extract_ms');

    const model = this.batcher.model;
    await this.warnAboutOtherModels(tenantId, model);
    const vectors = await this.store.beginEmbedding(tenantId, doc, model, chunks.map((c) => c.contentHash));
    const missing = distinctMissing(chunks, vectors);
    if (missing.length === 0) ticket.leave();
    for (let i = 0; i < missing.length; i += EMBED_GROUP) {
      if (i > 0) await this.store.markStage(tenantId, doc.id, 'embedding', 40 + (55 * i) / missing.length);
      const group = missing.slice(i, i + EMBED_GROUP);
      const embedded = await this.embed(ticket, group.map((c) => c.text), signal);
      group.forEach((c, j) => {
        const v = embedded[j];
        if (v) vectors.set(c.contentHash, v);
      });
    }
    signal.throwIfAborted();

    const rows: NewEmbeddingChunk[] = chunks.map((c) => {
      const vector = vectors.get(c.contentHash);
      if (!vector) throw new TransientIngestionError('an embedding was missing from the provider response');
      return {
        knowledgeBaseId: doc.knowledgeBaseId,
        documentId: doc.id,
        position: c.position,
        content: c.text,
        tokenCount: c.tokenCount,
        pageNumber: c.pageNumber,
        charStart: c.charStart,
        charEnd: c.charEnd,
        contentHash: c.contentHash,
        model,
        vector,
      };
    });
    lap('embed_ms');
    return {
      timings,
      chunks: rows,
      pageCount: extracted.pageCount,
      mimeType: doc.sourceKind === 'url' ? extracted.mimeType : null,
      byteSize: doc.sourceKind === 'url' ? bytes.length : null,
    };
  }

  private async source(
    tenantId: string,
    doc: DocumentToProcess,
    signal: AbortSignal,
  ): Promise<{ bytes: Buffer; mimeType: string | undefined; filename: string | undefined }> {
    if (doc.sourceKind !== 'url') {
      if (!doc.content) throw new PermanentIngestionError('the source content is missing');
      return { bytes: doc.content, mimeType: doc.mimeType ?? undefined, filename: doc.filename ?? undefined };
    }
    if (!doc.sourceUrl) throw new PermanentIngestionError('the source URL is missing');
    const page = await fetchUrl(parseSourceUrl(doc.sourceUrl), this.config.get('urlFetch'), signal);
    const mime = page.contentType?.split(';')[0]?.trim();
    const name = new URL(page.finalUrl).pathname.split('/').pop() || undefined;
    return { bytes: page.body, mimeType: mime, filename: name };
  }

  private async extract(bytes: Buffer, hints: { filename?: string; mimeType?: string }): Promise<{ document: ExtractedDocument; chunks: HashedChunk[] }> {
    try {
      return await this.extraction.extractAndChunk(bytes, hints, this.config.get('chunking'));
    } catch (error) {
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
      return await ticket.embed(texts, signal);
    } catch (error) {
      if (error instanceof EmbeddingError) {
        throw error.transient
          ? new TransientIngestionError(`embedding service: ${error.message}`)
          : new PermanentIngestionError(`embedding service refused the request: ${error.message}`);
      }
      throw error;
    }
  }
}

/** Chunks whose vector is not known yet, one per distinct text. */
function distinctMissing(chunks: readonly HashedChunk[], known: ReadonlyMap<string, number[]>): HashedChunk[] {
  const seen = new Set<string>();
  return chunks.filter((c) => {
    if (known.has(c.contentHash) || seen.has(c.contentHash)) return false;
    seen.add(c.contentHash);
    return true;
  });
}
