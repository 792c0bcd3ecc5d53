import type { EmbeddingProvider } from '../../src/embeddings/providers/embedding-provider.js';
import { CoalescingEmbeddingProvider } from '../../src/embeddings/providers/coalescing-embedding-provider.js';
import { LexicalEmbeddingProvider } from '../../src/embeddings/providers/lexical-embedding-provider.js';

/** The real lexical provider, recording each call it receives. */
class RecordingProvider implements EmbeddingProvider {
  readonly calls: number[] = [];
  private readonly inner = new LexicalEmbeddingProvider();
  failNext = false;
  readonly model = this.inner.model;
  readonly dimensions = this.inner.dimensions;
  async embed(texts: readonly string[]): Promise<number[][]> {
    this.calls.push(texts.length);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('upstream down');
    }
    return this.inner.embed(texts);
  }
}

describe('CoalescingEmbeddingProvider', () => {
  it('pools concurrent small requests into one call and gives each caller its own vectors, in order', async () => {
    const inner = new RecordingProvider();
    const pooled = new CoalescingEmbeddingProvider(inner, { maxInputs: 100, lingerMs: 30 });
    const direct = new LexicalEmbeddingProvider();
    const groups = [['refund policy', 'shipping'], ['payroll'], ['password reset', 'audit log', 'pricing']];
    const results = await Promise.all(groups.map((g) => pooled.embed(g)));
    expect(inner.calls).toEqual([6]);
    for (const [i, g] of groups.entries()) expect(results[i]).toEqual(await direct.embed(g));
  });

  it('sends a full batch at once and starts a new one when the next request would overflow it', async () => {
    const inner = new RecordingProvider();
    const pooled = new CoalescingEmbeddingProvider(inner, { maxInputs: 4, lingerMs: 10_000 });
    const started = Date.now();
    await Promise.all([pooled.embed(['a', 'b', 'c']), pooled.embed(['d']), pooled.embed(['e', 'f', 'g', 'h', 'i'])]);
    expect(Date.now() - started).toBeLessThan(5_000); // nobody waited for the 10 s linger
    expect(inner.calls).toEqual([4, 5]); // a+b+c+d fill a batch; a request of 5 goes straight through
  });

  it('passes a failure to every caller of the batch, and recovers for the next', async () => {
    const inner = new RecordingProvider();
    const pooled = new CoalescingEmbeddingProvider(inner, { maxInputs: 100, lingerMs: 5 });
    inner.failNext = true;
    const outcomes = await Promise.allSettled([pooled.embed(['x']), pooled.embed(['y'])]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    await expect(pooled.embed(['z'])).resolves.toHaveLength(1);
  });

  it('lets an aborted caller go without waiting for the batch', async () => {
    const inner = new RecordingProvider();
    const pooled = new CoalescingEmbeddingProvider(inner, { maxInputs: 100, lingerMs: 200 });
    const abort = new AbortController();
    const pending = pooled.embed(['slow'], abort.signal);
    abort.abort(new Error('cancelled'));
    await expect(pending).rejects.toThrow('cancelled');
  });
});
