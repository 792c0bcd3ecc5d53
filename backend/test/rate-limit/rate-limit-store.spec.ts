import type { INestApplicationContext } from '@nestjs/common';

import { DATABASE_ENGINE, type DatabaseEngine } from '../../src/database/database-engine.js';
import { RateLimitStore } from '../../src/rate-limit/rate-limit-store.js';
import { startServiceContext } from '../support/service-context.js';

const WINDOW = new Date(Date.UTC(2026, 11, 3, 10, 0, 0));
const NEXT_WINDOW = new Date(WINDOW.getTime() + 60_000);

/** Requests arriving while their bucket's statement is in flight are counted together by the next one. */
describe('RateLimitStore (service tier, in-memory PGlite)', () => {
  let context: INestApplicationContext;
  let engine: DatabaseEngine;
  /** Statements the store sent, through the real engine. */
  let statements: number;
  let store: RateLimitStore;

  beforeAll(async () => {
    context = await startServiceContext();
    engine = context.get<DatabaseEngine>(DATABASE_ENGINE);
  });
  afterAll(() => context?.close());
  beforeEach(() => {
    statements = 0;
    const counting: DatabaseEngine = {
      ...engine,
      query: (sql, params) => {
        statements++;
        return engine.query(sql, params);
      },
    };
    store = new RateLimitStore(counting);
  });

  const stored = async (bucket: string, window = WINDOW): Promise<number | undefined> =>
    (await engine.query<{ hits: number }>('SELECT hits FROM rate_limit_windows WHERE bucket = $1 AND window_start = $2', [bucket, window]))[0]?.hits;

  it('gives each of 50 requests at once its own place in the window, first come first, in two statements', async () => {
    const places = await Promise.all(Array.from({ length: 50 }, () => store.hit('tenant:crowd', WINDOW)));
    expect(places).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // the first request's statement went at once; the 49 that came while it was in flight, together
    expect(statements).toBe(2);
    expect(await stored('tenant:crowd')).toBe(50);
    // and counting goes on from there
    expect(await store.hit('tenant:crowd', WINDOW)).toBe(51);
  });

  it('counts buckets and windows apart, each in its own statement', async () => {
    const [a, b, c, a2] = await Promise.all([
      store.hit('tenant:a', WINDOW),
      store.hit('tenant:b', WINDOW),
      store.hit('tenant:a', NEXT_WINDOW),
      store.hit('tenant:a', WINDOW),
    ]);
    expect([a, b, c, a2]).toEqual([1, 1, 1, 2]);
    expect(statements).toBe(4);
    expect([await stored('tenant:a'), await stored('tenant:b'), await stored('tenant:a', NEXT_WINDOW)]).toEqual([2, 1, 1]);
  });

  it('adds to counts another process made, and fails every request of a batch whose statement fails', async () => {
    await engine.query('INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES ($1, $2, 7)', ['tenant:shared', WINDOW]);
    expect(await Promise.all([store.hit('tenant:shared', WINDOW), store.hit('tenant:shared', WINDOW)])).toEqual([8, 9]);

    const tooLong = `tenant:${'x'.repeat(200)}`; // past the column's 200 characters: the statement fails in the database
    const failed = await Promise.allSettled([store.hit(tooLong, WINDOW), store.hit(tooLong, WINDOW), store.hit(tooLong, WINDOW)]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    // nothing is left waiting on the failed bucket, and other buckets are untouched
    await expect(store.hit(tooLong, WINDOW)).rejects.toThrow();
    expect(await store.hit('tenant:shared', WINDOW)).toBe(10);
  });
});
