import { planBatches } from '../../src/embeddings/providers/embedding-batches.js';
import { mapWithConcurrency } from '../../src/embeddings/providers/map-with-concurrency.js';
import { requestedWaitMs } from '../../src/embeddings/providers/retry-policy-fetch.js';

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('planBatches', () => {
  it('cuts by input count and by token budget, in order, never leaving a batch empty', () => {
    expect(planBatches([1, 1, 1, 1, 1], 2, 100)).toEqual([
      { start: 0, end: 2 },
      { start: 2, end: 4 },
      { start: 4, end: 5 },
    ]);
    expect(planBatches([60, 50, 40, 10, 100], 10, 100)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 4 },
      { start: 4, end: 5 },
    ]);
    // An input over the budget on its own still gets a batch.
    expect(planBatches([500, 1], 10, 100)).toEqual([
      { start: 0, end: 1 },
      { start: 1, end: 2 },
    ]);
    expect(planBatches([], 10, 100)).toEqual([]);
  });
});

describe('mapWithConcurrency', () => {
  it('keeps input order and never runs more than the limit at once', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([50, 10, 30, 5, 20, 1], 2, async (ms, i) => {
      running++;
      peak = Math.max(peak, running);
      await sleep(ms);
      running--;
      return i;
    });
    expect(results).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('rejects with the first error after the calls in flight settle, starting no new ones', async () => {
    const started: number[] = [];
    const settled: number[] = [];
    let failures = 0;
    const run = mapWithConcurrency(
      [0, 1, 2, 3, 4],
      2,
      async (i) => {
        started.push(i);
        await sleep(i === 0 ? 10 : 40);
        settled.push(i);
        if (i <= 1) throw new Error(`failed ${i}`);
        return i;
      },
      () => failures++,
    );
    await expect(run).rejects.toThrow('failed 0');
    expect(started).toEqual([0, 1]);
    expect(settled).toEqual([0, 1]);
    expect(failures).toBe(1);
  });
});

describe('requestedWaitMs', () => {
  it('reads retry-after-ms first, then Retry-After in seconds or as an HTTP date', () => {
    expect(requestedWaitMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(requestedWaitMs(new Headers({ 'retry-after': '1.5' }))).toBe(1500);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    expect(requestedWaitMs(new Headers({ 'retry-after': inTenSeconds }))).toBeGreaterThan(8000);
    expect(requestedWaitMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(requestedWaitMs(new Headers())).toBeUndefined();
  });
});
