import { Inject, Injectable, Logger } from '@nestjs/common';

import { chunkText } from '../chunking/chunker.js';
import { sha256Hex as sha256 } from '../common/crypto/sha256-hex.js';
import { AppConfigService } from '../config/app-config.service.js';
import type { NewEmbeddingChunk } from '../embeddings/embedding-chunk.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EMBEDDING_PROVIDER } from '../embeddings/embedding-provider.token.js';
import { EmbeddingError, type EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';
import { ExtractionError, UnsupportedTypeError } from '../extraction/extraction-errors.js';
import { ExtractionService } from '../extraction/extraction.service.js';
import type { ExtractedDocument } from '../extraction/extracted-document.js';
import { DocumentStoreRepository, type DocumentToProcess, type ProcessedDocument } from './document-store.repository.js';
import { PermanentIngestionError, TransientIngestionError } from './ingestion-job.js';
import { fetchUrl, parseSourceUrl } from './url-fetcher.js';

/** Chunks embedded per provider call group; progress is reported between groups. */
const EMBED_GROUP = 512;

/**
 * Turns one document into stored chunk embeddings: fetch (URLs), extract, chunk, embed (reusing
 * vectors of identical chunks), and hands the result to the store. Classifies every failure as
 * permanent (the source itself is bad) or transient (worth another attempt).
 */
@Injectable()
export class DocumentProcessor {
  private readonly logger = new Logger('DocumentProcessor');

  constructor(
    private readonly config: AppConfigService,
    private readonly store: DocumentStoreRepository,
    private readonly extraction: ExtractionService,
    private readonly embeddings: EmbeddingsRepository,
    @Inject(EMBEDDING_PROVIDER) private readonly provider: EmbeddingProvider,
  ) {}

  async process(tenantId: string, doc: DocumentToProcess, signal: AbortSignal): Promise<ProcessedDocument> {
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

    await this.store.markStage(tenantId, doc.id, doc.knowledgeBaseId, 'extracting', 10);
    const extracted = await this.extract(bytes, { filename, mimeType });
    signal.throwIfAborted();
    lap('extract_ms');

    // chunking takes milliseconds: no status write of its own
    const chunks = chunkText({ text: extracted.text, pages: extracted.pages }, this.config.get('chunking'));
    if (chunks.length === 0) throw new PermanentIngestionError('the source contains no extractable text');
    lap('chunk_ms');

    const model = this.provider.model;
    const others = await this.store.otherModels(tenantId, model);
    if (others.length > 0) {
      // vectors of different models are not comparable: say so loudly; search uses the current model only
      this.logger.warn(`tenant ${tenantId} has chunks embedded with ${others.join(', ')}; new chunks use ${model}. Re-embed older documents to search them together.`);
    }
    const hashes = chunks.map((c) => sha256(c.text));
    const vectors = await this.embeddings.findReusable(tenantId, model, hashes);
    const missing = [...new Set(hashes.filter((h) => !vectors.has(h)))];
    const textOf = new Map(hashes.map((h, i) => [h, chunks[i]?.text ?? '']));
    for (let i = 0; i < missing.length; i += EMBED_GROUP) {
      await this.store.markStage(tenantId, doc.id, doc.knowledgeBaseId, 'embedding', 40 + (55 * i) / Math.max(1, missing.length));
      const group = missing.slice(i, i + EMBED_GROUP);
      const embedded = await this.embed(group.map((h) => textOf.get(h) ?? ''), signal);
      group.forEach((h, j) => {
        const v = embedded[j];
        if (v) vectors.set(h, v);
      });
    }
    signal.throwIfAborted();

    const rows: NewEmbeddingChunk[] = chunks.map((c, i) => {
      const hash = hashes[i] ?? '';
      const vector = vectors.get(hash);
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
        contentHash: hash,
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
    await this.store.markStage(tenantId, doc.id, doc.knowledgeBaseId, 'fetching', 2);
    const page = await fetchUrl(parseSourceUrl(doc.sourceUrl), this.config.get('urlFetch'), signal);
    const mime = page.contentType?.split(';')[0]?.trim();
    const name = new URL(page.finalUrl).pathname.split('/').pop() || undefined;
    return { bytes: page.body, mimeType: mime, filename: name };
  }

  private async extract(bytes: Buffer, hints: { filename?: string; mimeType?: string }): Promise<ExtractedDocument> {
    try {
      return await this.extraction.extract(bytes, hints);
    } catch (error) {
      if (error instanceof ExtractionError || error instanceof UnsupportedTypeError) throw new PermanentIngestionError(error.message);
      throw error;
    }
  }

  private async embed(texts: string[], signal: AbortSignal): Promise<number[][]> {
    try {
      return await this.provider.embed(texts, signal);
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
