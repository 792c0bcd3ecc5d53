import { abortReason } from '../../src/common/async/abort-reason.js';
import type { EmbeddingProvider } from '../../src/embeddings/providers/embedding-provider.js';
import { LexicalEmbeddingProvider } from '../../src/embeddings/providers/lexical-embedding-provider.js';
import { EmbeddingBatcher } from '../../src/ingestion/embedding-batcher.js';

/** The real lexical provider, recording the texts (and the signal) of each call it receives. */
class RecordingProvider implements EmbeddingProvider {
  readonly calls: string[][] = [];
  readonly signals: (AbortSignal | undefined)[] = [];
  private readonly inner = new LexicalEmbeddingProvider();
  failNext = false;
  /** Answers only once released (or rejects when its signal aborts). */
  hold: Promise<void> | null = null;
  readonly model = this.inner.model;
  readonly dimensions = this.inner.dimensions;
  servesModel(model: string): boolean {
    return this.inner.servesModel(model);
  }
  async embed(texts: readonly string[], signal?: AbortSignal): Promise<number[][]> {
    this.calls.push([...texts]);
    this.signals.push(signal);
    if (this.hold) {
      const hold = this.hold;
      await new Promise<void>((resolve, reject) => {
        void hold.then(resolve);
        signal?.addEventListener('abort', () => reject(abortReason(signal)), { once: true });
      });
    }
    if (this.failNext) {
      this.failNext = false;
      throw new Error('upstream down');
    }
    return this.inner.embed(texts);
  }
}

const direct = new LexicalEmbeddingProvider();
/** Moves the fake clock on by `ms` and runs what falls due, and the promise callbacks that follow. */
const tick = (ms = 0): Promise<void> => jest.advanceTimersByTimeAsync(ms);

/** Whether `promise` has settled, without waiting for it. */
async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await tick();
  return settled;
}

describe('EmbeddingBatcher', () => {
  // The batcher's waits run on a fake clock: each test says how much time passes, so none depends on the machine's speed.
  beforeEach(() => jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] }));
  afterEach(() => jest.useRealTimers());

  it('sends a lone document without waiting for anything but the linger', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 60_000 });
    const pending = batcher.join().embed(['refund policy', 'shipping']);
    await tick(); // no time passes: not the 60 s wait
    expect(await isSettled(pending)).toBe(true);
    const vectors = await pending;
    expect(inner.calls).toEqual([['refund policy', 'shipping']]);
    expect(vectors).toEqual(await direct.embed(['refund policy', 'shipping']));
  });

  it('lingers for documents that join a moment later, then waits for them too', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 200, maxWaitMs: 60_000 });
    const first = batcher.join().embed(['refund policy']);
    await tick(199);
    const late = batcher.join(); // the next upload of a burst, still being extracted
    await tick(10_000); // long past the linger: the batch now waits for `late`
    expect(inner.calls).toEqual([]);
    const second = late.embed(['shipping']);
    await Promise.all([first, second]);
    expect(inner.calls).toEqual([['refund policy', 'shipping']]);
  });

  it('leaves after the linger when nobody joins', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 40, maxWaitMs: 60_000 });
    const pending = batcher.join().embed(['payroll']);
    await tick(39);
    expect(inner.calls).toEqual([]);
    await tick(1);
    expect(inner.calls).toEqual([['payroll']]);
    await expect(pending).resolves.toHaveLength(1);
  });

  it('waits for every joined document, then sends one request and gives each its own vectors in order', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 60_000 });
    const [a, b, c] = [batcher.join(), batcher.join(), batcher.join()];
    const first = a.embed(['refund policy', 'shipping']);
    const second = b.embed(['payroll']);
    await tick();
    expect(inner.calls).toEqual([]); // c is still being extracted
    const third = c.embed(['password reset', 'audit log', 'pricing']);
    const results = await Promise.all([first, second, third]);
    expect(inner.calls).toEqual([['refund policy', 'shipping', 'payroll', 'password reset', 'audit log', 'pricing']]);
    expect(results).toEqual([
      await direct.embed(['refund policy', 'shipping']),
      await direct.embed(['payroll']),
      await direct.embed(['password reset', 'audit log', 'pricing']),
    ]);
  });

  it('sends as soon as the last expected document leaves without texts', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 60_000 });
    const [a, b] = [batcher.join(), batcher.join()];
    const pending = a.embed(['invoice']);
    await tick();
    expect(inner.calls).toEqual([]);
    b.leave(); // failed during extraction, or every vector was reused
    b.leave(); // idempotent
    await expect(pending).resolves.toHaveLength(1);
    expect(inner.calls).toEqual([['invoice']]);
  });

  it('sends a full batch without waiting for documents still being extracted', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 3, lingerMs: 0, maxWaitMs: 60_000 });
    const [a, b] = [batcher.join(), batcher.join()];
    batcher.join(); // never arrives
    await Promise.all([a.embed(['a', 'b']), b.embed(['c', 'd'])]);
    expect(inner.calls).toEqual([['a', 'b', 'c', 'd']]);
  });

  it('sends after maxWaitMs when a joined document is slow', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 50 });
    const a = batcher.join();
    batcher.join(); // a long extraction
    const pending = a.embed(['ledger']);
    await tick(49);
    expect(inner.calls).toEqual([]);
    await tick(1);
    expect(inner.calls).toEqual([['ledger']]);
    await expect(pending).resolves.toHaveLength(1);
  });

  it('embeds a text shared by several documents of a batch once', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 60_000 });
    const [a, b] = [batcher.join(), batcher.join()];
    const [va, vb] = await Promise.all([a.embed(['Confidential. Do not forward.', 'travel policy']), b.embed(['Confidential. Do not forward.'])]);
    expect(inner.calls).toEqual([['Confidential. Do not forward.', 'travel policy']]);
    expect(vb[0]).toEqual(va[0]);
  });

  it('passes a failure to every document of the batch, and serves the next batch', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 60_000 });
    inner.failNext = true;
    const [a, b] = [batcher.join(), batcher.join()];
    const outcomes = await Promise.allSettled([a.embed(['x']), b.embed(['y'])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(batcher.join().embed(['z'])).resolves.toHaveLength(1);
  });

  it('drops the texts of a document aborted while waiting, and the others still get theirs', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 60_000 });
    const [a, b, c] = [batcher.join(), batcher.join(), batcher.join()];
    const abort = new AbortController();
    const aborted = a.embed(['cancelled text'], abort.signal);
    const kept = b.embed(['kept text']);
    abort.abort(new Error('job timed out'));
    await expect(aborted).rejects.toThrow('job timed out');
    c.leave();
    await expect(kept).resolves.toHaveLength(1);
    expect(inner.calls).toEqual([['kept text']]);
  });

  it('cancels a request in flight once every document waiting for it has been aborted', async () => {
    const inner = new RecordingProvider();
    let release = (): void => undefined;
    inner.hold = new Promise((r) => (release = r));
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 60_000 });
    const [a, b] = [batcher.join(), batcher.join()];
    const [abortA, abortB] = [new AbortController(), new AbortController()];
    const pending = [a.embed(['x'], abortA.signal), b.embed(['y'], abortB.signal)];
    await tick();
    expect(inner.calls).toEqual([['x', 'y']]);
    abortA.abort(new Error('shutting down'));
    expect(inner.signals[0]?.aborted).toBe(false); // b still waits for it
    abortB.abort(new Error('shutting down'));
    expect(inner.signals[0]?.aborted).toBe(true);
    const outcomes = await Promise.allSettled(pending);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    release();
  });

  it('with maxWaitMs 0 (a local embedder) sends every contribution at once', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 0, maxWaitMs: 0 });
    const a = batcher.join();
    batcher.join();
    await a.embed(['alone']);
    expect(inner.calls).toEqual([['alone']]);
  });

  it('sends a part of a document extracted in parts without waiting for its next part, then waits for that part as for a document being extracted', async () => {
    const inner = new RecordingProvider();
    const batcher = new EmbeddingBatcher(inner, { maxInputs: 100, lingerMs: 50, maxWaitMs: 10_000 });
    const book = batcher.join();
    const first = book.embed(['chapter one'], undefined, { final: false });
    await tick(50); // only the book is in flight, and it has handed in: the linger, then the request
    expect(inner.calls).toEqual([['chapter one']]);
    await first;

    const memo = batcher.join();
    const memoTexts = memo.embed(['memo']);
    await tick(5_000); // the book is reading its next pages: the memo's batch waits for them
    expect(inner.calls).toHaveLength(1);
    const last = book.embed(['chapter two'], undefined, { final: true });
    await tick(50);
    expect(inner.calls[1]).toEqual(['memo', 'chapter two']);
    await Promise.all([memoTexts, last]);

    // the book has left: a new document's texts wait only for the linger
    const note = batcher.join().embed(['note']);
    await tick(50);
    expect(inner.calls[2]).toEqual(['note']);
    await note;
  });
});
