import { abortReason } from '../common/async/abort-reason.js';
import type { EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';

export interface EmbeddingBatcherOptions {
  /** A batch leaves as soon as it holds this many distinct texts. */
  maxInputs: number;
  /**
   * How long a batch waits for company once no other document is being processed, counted from
   * its first text or the last document that joined, whichever is later, ms: the uploads of a
   * burst arrive one by one, and the first ones should not leave alone.
   */
  lingerMs: number;
  /**
   * The longest a batch waits for documents that are still being extracted, ms. With both waits
   * 0 every contribution is sent at once (a local embedder gains nothing from waiting).
   */
  maxWaitMs: number;
}

/** One document's place in the batching: it will bring texts (`embed`) or step out (`leave`). */
export interface BatchTicket {
  /**
   * Hands in texts of the document; resolves with one vector per text, in order. `final: false`
   * says more will follow (the document is extracted in parts): between its parts, while it has
   * nothing waiting, the batch waits for it as for a document still being extracted.
   */
  embed(texts: readonly string[], signal?: AbortSignal, options?: { final?: boolean }): Promise<number[][]>;
  /** The document will bring nothing more (it is done, it failed, or every vector was reused). Idempotent. */
  leave(): void;
}

/** A joined document: expected while it may still bring texts and has none waiting. */
interface Ticket {
  done: boolean;
  waiting: number;
}

interface Contribution {
  ticket: Ticket;
  texts: readonly string[];
  resolve: (vectors: number[][]) => void;
  reject: (error: unknown) => void;
  settled: boolean;
  /** Once sent: the request it travels in. */
  sent?: SentBatch;
}

/** A request in flight, cancelled when every document waiting for it has been aborted. */
interface SentBatch {
  controller: AbortController;
  waiting: number;
}

/**
 * Pools the chunks of the documents being processed at the same time into shared embedding
 * requests. A document joins when its processing starts; its chunks wait while other joined
 * documents are still being extracted, so a burst of uploads costs a few full requests rather
 * than one (and one network round trip) per document. A batch leaves when it is full; when every
 * joined document has handed in or left and none has joined for `lingerMs`; or after `maxWaitMs`.
 * Identical texts within a batch are embedded once. Documents of different tenants may share a
 * request; each only ever receives the vectors of its own texts.
 */
export class EmbeddingBatcher {
  private queue: Contribution[] = [];
  /** Distinct texts queued. */
  private readonly queuedTexts = new Set<string>();
  /** Joined documents that have not left nor handed in their final texts. */
  private readonly tickets = new Set<Ticket>();
  private timer: NodeJS.Timeout | null = null;
  /** When the oldest queued contribution arrived, and when the last document joined (performance.now()). */
  private firstQueuedAt = 0;
  private lastJoinedAt = -Infinity;

  constructor(
    private readonly provider: EmbeddingProvider,
    private readonly options: EmbeddingBatcherOptions,
  ) {}

  get model(): string {
    return this.provider.model;
  }

  join(): BatchTicket {
    const ticket: Ticket = { done: false, waiting: 0 };
    this.tickets.add(ticket);
    this.lastJoinedAt = performance.now();
    const finish = (): void => {
      ticket.done = true;
      this.tickets.delete(ticket);
    };
    return {
      embed: (texts, signal, options = {}) => {
        if (options.final ?? true) finish();
        const promise = texts.length === 0 ? Promise.resolve([]) : this.queueTexts(ticket, texts, signal);
        this.schedule();
        return promise;
      },
      leave: () => {
        if (ticket.done) return;
        finish();
        this.schedule();
      },
    };
  }

  /** Documents the batch waits for: joined, not done, nothing of theirs waiting. */
  private get expected(): number {
    let count = 0;
    for (const ticket of this.tickets) if (ticket.waiting === 0) count++;
    return count;
  }

  /** Sends the batch now if it may leave, or sets the timer for when it will. */
  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.queue.length === 0) return;
    const { maxInputs, lingerMs, maxWaitMs } = this.options;
    const now = performance.now();
    // the time left before the batch may leave: the linger once nobody is expected, capped by the longest wait
    const left = Math.min(
      this.firstQueuedAt + maxWaitMs - now,
      this.expected === 0 ? Math.max(this.firstQueuedAt, this.lastJoinedAt) + lingerMs - now : Infinity,
    );
    if (this.queuedTexts.size >= maxInputs || left <= 0) return this.flush();
    this.timer = setTimeout(() => this.schedule(), Math.ceil(left));
  }

  private queueTexts(ticket: Ticket, texts: readonly string[], signal: AbortSignal | undefined): Promise<number[][]> {
    return new Promise<number[][]>((resolve, reject) => {
      if (signal?.aborted) return reject(abortReason(signal));
      const contribution: Contribution = { ticket, texts, resolve, reject, settled: false };
      signal?.addEventListener(
        'abort',
        () => {
          if (contribution.settled) return;
          contribution.settled = true;
          // still waiting: its texts need not be sent at all; sent: nobody left waiting cancels the request
          if (this.queue.includes(contribution)) this.dequeue(contribution);
          else if (contribution.sent && --contribution.sent.waiting === 0) contribution.sent.controller.abort(signal.reason);
          reject(abortReason(signal));
        },
        { once: true },
      );
      if (this.queue.length === 0) this.firstQueuedAt = performance.now();
      this.queue.push(contribution);
      ticket.waiting++;
      for (const text of texts) this.queuedTexts.add(text);
    });
  }

  private dequeue(contribution: Contribution): void {
    this.queue = this.queue.filter((c) => c !== contribution);
    contribution.ticket.waiting--;
    this.queuedTexts.clear();
    for (const c of this.queue) for (const text of c.texts) this.queuedTexts.add(text);
    this.schedule();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.queue;
    const distinct = [...this.queuedTexts];
    this.queue = [];
    this.queuedTexts.clear();
    if (batch.length === 0) return;
    // a document extracted in parts is expected again once its waiting texts are on their way
    for (const c of batch) c.ticket.waiting--;
    const sent: SentBatch = { controller: new AbortController(), waiting: batch.length };
    for (const c of batch) c.sent = sent;
    // the provider splits a large batch into requests by its own input and token limits
    this.provider.embed(distinct, sent.controller.signal).then(
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
