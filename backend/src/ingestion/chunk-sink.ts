import type { DocumentToProcess } from '../documents/document-rows.js';
import type { NewEmbeddingChunk } from '../embeddings/embedding-chunk.js';
import type { HashedChunk } from '../extraction/chunked-text.js';
import type { BatchTicket } from './embedding-batcher.js';
import type { ClaimedJob } from './ingestion-job.js';
import type { IngestionStore } from './ingestion-store.service.js';

/** Texts handed to the batcher at a time: a part of a big text document is embedded and stored in such groups. */
const EMBED_GROUP = 256;

export interface ChunkSinkOptions {
  store: IngestionStore;
  job: ClaimedJob;
  workerId: string;
  document: DocumentToProcess;
  model: string;
  ticket: BatchTicket;
  signal: AbortSignal;
  /** Embeds through the ticket, translating provider errors into ingestion errors. */
  embed: (ticket: BatchTicket, texts: string[], signal: AbortSignal) => Promise<number[][]>;
}

/**
 * One document's chunks on their way to the database, part by part, as extraction hands them
 * over: each part's reusable vectors are looked up, the rest sent to be embedded at once (the
 * requests shared with other documents), and batches are stored in document order as their
 * vectors arrive. Handing over a part returns before its embedding is done, so the next part's
 * extraction, this part's embedding and the previous part's storing overlap.
 */
export class ChunkSink {
  /** Parts handed over, when the first chunks were stored (performance.now()), and time spent waiting for vectors and storing. */
  parts = 0;
  firstStoredAt: number | null = null;
  embedWaitMs = 0;
  storeMs = 0;

  private readonly known = new Map<string, readonly number[]>();
  private readonly pending = new Map<string, Promise<void>>();
  /** Chunks handed over and not stored yet, by text: their vector is kept until the last of them is stored. */
  private readonly unstored = new Map<string, number>();
  /** Stores in document order; rejected from the first failure on. */
  private chain: Promise<void> = Promise.resolve();
  private failure: { error: unknown } | null = null;
  private stage = 'extracting';

  constructor(private readonly options: ChunkSinkOptions) {}

  /** Takes a part's chunks (positioned in the whole document); `progress` is the share of the document's parts handed over, 0-1. */
  async add(chunks: readonly HashedChunk[], progress: number): Promise<void> {
    if (this.failure) throw this.failure.error;
    this.options.signal.throwIfAborted();
    this.parts++;
    if (chunks.length === 0) return;
    const { store, job, model } = this.options;
    const lookup = [...new Set(chunks.map((c) => c.contentHash))].filter((hash) => !this.known.has(hash) && !this.pending.has(hash));
    // from the first chunks on, the document shows as embedding (later pages may still be read)
    const stage = this.stage === 'embedding' ? undefined : { documentId: job.documentId, stage: 'embedding', progress: 10 + 30 * progress };
    this.stage = 'embedding';
    if (lookup.length > 0 || stage) {
      for (const [hash, vector] of await store.reusableVectors(job.tenantId, model, lookup, stage)) this.known.set(hash, vector);
    }
    for (let i = 0; i < chunks.length; i += EMBED_GROUP) {
      const group = chunks.slice(i, i + EMBED_GROUP);
      this.embedMissing(group);
      for (const chunk of group) this.unstored.set(chunk.contentHash, (this.unstored.get(chunk.contentHash) ?? 0) + 1);
      for (let j = 0; j < group.length; j += store.batchSize) {
        const batch = group.slice(j, j + store.batchSize);
        this.chain = this.chain.then(() => this.storeBatch(batch, 10 + 85 * progress));
        this.chain.catch((error: unknown) => {
          this.failure ??= { error };
        });
      }
    }
  }

  /** Resolves once every chunk handed over is stored. */
  async finish(): Promise<void> {
    await this.chain;
  }

  /** Waits for stores already under way to end (the document is failing: nothing more is stored). */
  async abandon(): Promise<void> {
    this.failure ??= { error: new Error('abandoned') };
    await this.chain.catch(() => undefined);
  }

  /** Sends the group's texts with no vector yet, each distinct text once across the document. */
  private embedMissing(group: readonly HashedChunk[]): void {
    const texts: string[] = [];
    const hashes: string[] = [];
    for (const chunk of group) {
      if (this.known.has(chunk.contentHash) || this.pending.has(chunk.contentHash) || hashes.includes(chunk.contentHash)) continue;
      texts.push(chunk.text);
      hashes.push(chunk.contentHash);
    }
    if (texts.length === 0) return;
    const { embed, ticket, signal } = this.options;
    const embedded = embed(ticket, texts, signal).then((vectors) => {
      hashes.forEach((hash, k) => {
        const vector = vectors[k];
        if (vector) this.known.set(hash, vector);
      });
    });
    embedded.catch(() => undefined); // reported by the store that waits for it
    for (const hash of hashes) this.pending.set(hash, embedded);
  }

  private async storeBatch(batch: readonly HashedChunk[], progress: number): Promise<void> {
    const { store, job, workerId, document, model } = this.options;
    const waiting = performance.now();
    await Promise.all(batch.flatMap((c) => this.pending.get(c.contentHash) ?? []));
    this.embedWaitMs += performance.now() - waiting;
    const rows: NewEmbeddingChunk[] = batch.map((c) => {
      const vector = this.known.get(c.contentHash);
      if (!vector) throw new Error('an embedding was missing from the provider response');
      return {
        knowledgeBaseId: document.knowledgeBaseId,
        documentId: document.id,
        position: c.position,
        content: c.text,
        tokenCount: c.tokenCount,
        pageNumber: c.pageNumber,
        pageEnd: c.pageEnd,
        charStart: c.charStart,
        charEnd: c.charEnd,
        contentHash: c.contentHash,
        model,
        vector,
      };
    });
    this.options.signal.throwIfAborted();
    const storing = performance.now();
    await store.storeChunks(job.tenantId, job, workerId, rows, progress);
    this.storeMs += performance.now() - storing;
    // stored: a later chunk with the same text finds the vector in the database; a big document's
    // vectors need not all stay in memory (nor in the garbage collector's way) until its end
    for (const chunk of batch) {
      const left = (this.unstored.get(chunk.contentHash) ?? 1) - 1;
      if (left > 0) {
        this.unstored.set(chunk.contentHash, left);
        continue;
      }
      this.unstored.delete(chunk.contentHash);
      this.known.delete(chunk.contentHash);
      this.pending.delete(chunk.contentHash);
    }
    this.firstStoredAt ??= performance.now();
  }
}
