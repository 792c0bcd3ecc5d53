import type { EmbeddingProvider } from './embedding-provider.js';

interface Pending {
  texts: readonly string[];
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
}

export interface CoalescingOptions {
  /** Most inputs sent in one call to the inner provider. */
  maxInputs: number;
  /** How long the first waiting request may wait for company before the batch is sent, ms. */
  lingerMs: number;
}

/**
 * Pools the chunks of documents processed at the same time into shared requests. A 10-page PDF
 * is ~12 chunks; without pooling every document costs at least one request (and one network
 * round trip), with it a burst of uploads travels in a few full batches. A lone document waits
 * at most `lingerMs`.
 */
export class CoalescingEmbeddingProvider implements EmbeddingProvider {
  private queue: Pending[] = [];
  private queued = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly inner: EmbeddingProvider,
    private readonly options: CoalescingOptions,
  ) {}

  get model(): string {
    return this.inner.model;
  }

  get dimensions(): number {
    return this.inner.dimensions;
  }

  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    if (texts.length === 0) return Promise.resolve([]);
    // a request that fills batches on its own goes straight through
    if (texts.length >= this.options.maxInputs) return this.inner.embed(texts, signal);
    return new Promise<number[][]>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const pending: Pending = { texts, resolve, reject };
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true });
      if (this.queued + texts.length > this.options.maxInputs) this.flush();
      this.queue.push(pending);
      this.queued += texts.length;
      if (this.queued >= this.options.maxInputs) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    this.queue = [];
    this.queued = 0;
    if (batch.length === 0) return;
    const inputs = batch.flatMap((p) => p.texts);
    this.inner.embed(inputs).then(
      (vectors) => {
        let offset = 0;
        for (const p of batch) {
          p.resolve(vectors.slice(offset, offset + p.texts.length));
          offset += p.texts.length;
        }
      },
      (error: unknown) => {
        for (const p of batch) p.reject(error);
      },
    );
  }
}
