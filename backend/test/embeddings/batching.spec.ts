import { planBatches } from '../../src/embeddings/providers/embedding-batches.js';
import { mapWithConcurrency } from '../../src/embeddings/providers/map-with-concurrency.js';
import { requestedWaitMs } from '../../src/embeddings/providers/retry-policy-fetch.js';

/** A promise settled from outside, so a test decides the order in which calls finish. */
function deferred<T = void>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise callback already queued run. */
const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

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
    const gates = Array.from({ length: 6 }, () => deferred());
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const run = mapWithConcurrency([0, 1, 2, 3, 4, 5], 2, async (i) => {
      started.push(i);
      running++;
      peak = Math.max(peak, running);
      await gates[i]?.promise;
      running--;
      return i * 10;
    });
    await settle();
    expect(started).toEqual([0, 1]);
    // finish out of order: each finished call makes room for exactly one more
    for (const i of [1, 0, 3, 2, 5, 4]) {
      gates[i]?.resolve();
      await settle();
    }
    expect(await run).toEqual([0, 10, 20, 30, 40, 50]);
    expect(started).toEqual([0, 1, 2, 3, 4, 5]);
    expect(peak).toBe(2);
  });

  it('rejects with the first error after the calls in flight settle, starting no new ones', async () => {
    const gates = Array.from({ length: 5 }, () => deferred());
    const started: number[] = [];
    const settled: number[] = [];
    let failures = 0;
    let rejected = false;
    const run = mapWithConcurrency(
      [0, 1, 2, 3, 4],
      2,
      async (i) => {
        started.push(i);
        try {
          await gates[i]?.promise;
        } finally {
          settled.push(i);
        }
        return i;
      },
      () => failures++,
    );
    run.catch(() => (rejected = true));
    await settle();
    gates[0]?.reject(new Error('failed 0'));
    await settle();
    expect(rejected).toBe(false); // call 1 is still in flight
    gates[1]?.reject(new Error('failed 1'));
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
    jest.useFakeTimers({ now: new Date('2026-11-30T12:00:00.000Z') });
    try {
      expect(requestedWaitMs(new Headers({ 'retry-after': 'Mon, 30 Nov 2026 12:00:10 GMT' }))).toBe(10_000);
    } finally {
      jest.useRealTimers();
    }
    expect(requestedWaitMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(requestedWaitMs(new Headers())).toBeUndefined();
  });
});
