import type { EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';

export interface EmbeddingBatcherOptions {
  /** A batch leaves as soon as it holds this many distinct texts. */
  maxInputs: number;
  /**
   * The longest the first text of a batch waits for documents that are still being extracted,
   * ms. 0 sends every contribution at once (a local embedder gains nothing from waiting).
   */
  maxWaitMs: number;
}

/** One document's place in the batching: it will bring texts (`embed`) or step out (`leave`). */
export interface BatchTicket {
  /** Hands in the document's texts; resolves with one vector per text, in order. Settles the ticket. */
  embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]>;
  /** The document will bring nothing (it failed, or every vector was reused). Idempotent. */
  leave(): void;
}

interface Contribution {
  texts: readonly string[];
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
  settled: boolean;
}

/**
 * Pools the chunks of the documents being processed at the same time into shared embedding
 * requests. A document joins when its processing starts; its chunks wait while other joined
 * documents are still being extracted, so a burst of uploads costs a few full requests rather
 * than one (and one network round trip) per document. A batch leaves when every joined document
 * has handed in or left, when it is full, or after `maxWaitMs`, whichever comes first: a document
 * processed alone never waits. Identical texts within a batch are embedded once.
 */
export class EmbeddingBatcher {
  private queue: Contribution[] = [];
  /** Distinct texts queued. */
  private readonly queuedTexts = new Set<string>();
  /** Joined documents that have neither handed in nor left. */
  private expected = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly provider: EmbeddingProvider,
    private readonly options: EmbeddingBatcherOptions,
  ) {}

  get model(): string {
    return this.provider.model;
  }

  join(): BatchTicket {
    this.expected++;
    let open = true;
    const settle = (): void => {
      if (!open) return;
      open = false;
      this.expected--;
    };
    return {
      embed: (texts, signal) => {
        settle();
        return this.enqueue(texts, signal);
      },
      leave: () => {
        if (!open) return;
        settle();
        if (this.expected === 0) this.flush();
      },
    };
  }

  private enqueue(texts: readonly string[], signal: AbortSignal | undefined): Promise<number[][]> {
    const promise = texts.length === 0 ? Promise.resolve([]) : this.queueTexts(texts, signal);
    if (this.expected === 0 || this.queuedTexts.size >= this.options.maxInputs || this.options.maxWaitMs === 0) this.flush();
    else if (this.queue.length > 0) this.timer ??= setTimeout(() => this.flush(), this.options.maxWaitMs);
    return promise;
  }

  private queueTexts(texts: readonly string[], signal: AbortSignal | undefined): Promise<number[][]> {
    return new Promise<number[][]>((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const contribution: Contribution = { texts, resolve, reject, settled: false };
      signal?.addEventListener(
        'abort',
        () => {
          if (contribution.settled) return;
          contribution.settled = true;
          // still waiting: its texts need not be sent at all
          if (this.queue.includes(contribution)) this.dequeue(contribution);
          reject(signal.reason);
        },
        { once: true },
      );
      this.queue.push(contribution);
      for (const text of texts) this.queuedTexts.add(text);
    });
  }

  private dequeue(contribution: Contribution): void {
    this.queue = this.queue.filter((c) => c !== contribution);
    this.queuedTexts.clear();
    for (const c of this.queue) for (const text of c.texts) this.queuedTexts.add(text);
    if (this.queue.length === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    const distinct = [...this.queuedTexts];
    this.queue = [];
    this.queuedTexts.clear();
    if (batch.length === 0) return;
    // the provider splits a large batch into requests by its own input and token limits
    this.provider.embed(distinct).then(
      (vectors) => {
        const byText = new Map(distinct.map((text, i) => [text, vectors[i]]));
        for (const c of batch) {
          if (c.settled) continue;
          c.settled = true;
          const mine = c.texts.map((t) => byText.get(t));
          if (mine.every((v): v is number[] => v !== undefined)) c.resolve(mine);
          else c.reject(new Error('the embedding provider answered fewer vectors than texts'));
        }
      },
      (error: unknown) => {
        for (const c of batch) {
          if (c.settled) continue;
          c.settled = true;
          c.reject(error);
        }
      },
    );
  }
}
