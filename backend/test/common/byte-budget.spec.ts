import { ByteBudget } from '../../src/common/scheduling/byte-budget.js';

describe('ByteBudget', () => {
  afterEach(() => jest.useRealTimers());

  it('grants what fits at once, and gives bytes back once however often release is called', async () => {
    const budget = new ByteBudget(100);
    const a = await budget.acquire(60, 0);
    const b = await budget.acquire(40, 0);
    expect(budget.inUse).toBe(100);
    expect(await budget.acquire(1, 0)).toBeNull(); // no wait allowed: refused at once
    a?.();
    a?.();
    expect(budget.inUse).toBe(40);
    b?.();
    expect(budget.inUse).toBe(0);
  });

  it('serves waiters first come first served: a small one does not overtake a large one', async () => {
    const budget = new ByteBudget(100);
    const first = await budget.acquire(70, 0);
    const order: string[] = [];
    const large = budget.acquire(80, 60_000).then((release) => (order.push('large'), release));
    const small = budget.acquire(10, 60_000).then((release) => (order.push('small'), release));
    expect(budget.waiting).toBe(2);
    first?.();
    (await large)?.();
    (await small)?.();
    expect(order).toEqual(['large', 'small']);
    expect(budget.inUse).toBe(0);
  });

  it('gives up after the wait, and lets the line move on', async () => {
    jest.useFakeTimers();
    const budget = new ByteBudget(100);
    const held = await budget.acquire(90, 0);
    const blocked = budget.acquire(50, 1000);
    const behind = budget.acquire(5, 5000);
    jest.advanceTimersByTime(1000);
    expect(await blocked).toBeNull();
    // the small one fitted all along and was only waiting its turn
    expect(await behind).toEqual(expect.any(Function));
    expect(budget.inUse).toBe(95);
    held?.();
  });

  it('stops waiting when the caller is gone', async () => {
    const budget = new ByteBudget(10);
    const held = await budget.acquire(10, 0);
    const gone = new AbortController();
    const waiting = budget.acquire(5, 60_000, gone.signal);
    gone.abort();
    expect(await waiting).toBeNull();
    expect(budget.waiting).toBe(0);
    held?.();
    expect(budget.inUse).toBe(0);
  });

  it('takes at most its capacity for one caller', async () => {
    const budget = new ByteBudget(10);
    const release = await budget.acquire(50, 0);
    expect(budget.inUse).toBe(10);
    release?.();
  });
});
