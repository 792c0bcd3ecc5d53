import { Clock } from '../src/common/time/clock.js';
import { PrismaService } from '../src/database/prisma.service.js';
import { TEST_ENGINES } from './support/engines.js';
import { jsonInit } from './support/knowledge-client.js';
import { createScratchDatabase, type ScratchDatabase } from './support/scratch-database.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const LIMITS = { RATE_LIMIT_TENANT_PER_MINUTE: '3', RATE_LIMIT_QUERIES_PER_MINUTE: '2', RATE_LIMIT_IP_PER_MINUTE: '3' };
const ORIGIN = 'http://app.example.com';
/** 30 s into a minute: the window ends (and Retry-After counts down to) 30 s later. */
const T0 = Date.UTC(2026, 11, 3, 10, 0, 30);

/** Every rate-limited decision below depends on this clock, never on how fast the requests go. */
const setClock = (t: TestApp, ms: number): void => {
  jest.spyOn(t.app.get(Clock), 'now').mockReturnValue(ms);
};

async function expect429(res: Response, retryAfter: number): Promise<void> {
  expect(res.status).toBe(429);
  expect(res.headers.get('retry-after')).toBe(String(retryAfter));
  expect(res.headers.get('ratelimit-remaining')).toBe('0');
  expect(await res.json()).toEqual({
    statusCode: 429,
    error: 'Too Many Requests',
    message: expect.stringMatching(/^Rate limit exceeded: \d+ requests per minute\. Try again in \d+ s\.$/),
    request_id: res.headers.get('x-request-id'),
  });
}

const statuses = async (requests: (() => Promise<Response>)[]): Promise<number[]> => {
  const out: number[] = [];
  for (const request of requests) out.push((await request()).status);
  return out;
};

const times = <T>(n: number, fn: () => T): T[] => Array.from({ length: n }, fn);

/** The counters stored for a bucket, read past the API. */
async function windowsOf(t: TestApp, bucket: string): Promise<{ window_start: Date; hits: number }[]> {
  return t.app.get(PrismaService).$queryRaw`SELECT window_start, hits FROM rate_limit_windows WHERE bucket = ${bucket} ORDER BY window_start`;
}

describe.each(TEST_ENGINES)('rate limits (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { ...LIMITS, CORS_ORIGINS: ORIGIN });
  });
  beforeEach(() => setClock(t, T0));
  afterAll(() => t?.close());

  it("counts a tenant's requests per minute and answers 429 with Retry-After in the error shape", async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 3; i++) answers.push(await t.get('/routes/knowledge/acme/index'));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(answers.map((r) => r.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expect(answers[0]?.headers.get('ratelimit-limit')).toBe('3');
    expect(answers[0]?.headers.get('ratelimit-reset')).toBe('30');

    const refused = await t.get('/routes/knowledge/acme/index', { headers: { origin: ORIGIN } });
    expect(refused.headers.get('access-control-allow-origin')).toBe(ORIGIN); // a browser may read it, and the limit's headers
    expect(refused.headers.get('access-control-expose-headers')?.toLowerCase().split(/,\s*/)).toEqual(
      expect.arrayContaining(['retry-after', 'ratelimit-limit', 'ratelimit-remaining', 'ratelimit-reset']),
    );
    await expect429(refused, 30);
    // any route of the tenant, whatever its method
    await expect429(await t.get('/routes/knowledge/acme', jsonInit('POST', { title: 'x', type: 'Reference', intent: 'Technical', text: 'x' })), 30);
    // 20 s later the same window has 10 s left
    setClock(t, T0 + 20_000);
    await expect429(await t.get('/routes/knowledge/acme/index'), 10);
  });

  it("tenants do not share each other's budget, and query routes have their own", async () => {
    expect(await statuses(times(3, () => () => t.get('/routes/knowledge/solo/index')))).toEqual([200, 200, 200]);
    expect((await t.get('/routes/knowledge/solo/index')).status).toBe(429);
    expect(await statuses(times(3, () => () => t.get('/routes/knowledge/other/index')))).toEqual([200, 200, 200]);

    const search = () => t.get('/routes/knowledge/solo/search', jsonInit('POST', { query: 'refunds' }));
    expect(await statuses([search, search])).toEqual([200, 200]);
    await expect429(await search(), 30);
    expect((await t.get('/routes/knowledge/other/context', jsonInit('POST', { query: 'refunds' }))).status).toBe(200);
  });

  it('counts public routes per client address and never limits the health probes', async () => {
    const publicRoutes = ['/routes/knowledge/vocabulary', '/routes/knowledge/health', '/docs-json'];
    expect(await statuses(publicRoutes.map((path) => () => t.get(path)))).toEqual([200, 200, 200]);
    await expect429(await t.get('/routes/knowledge/client-config'), 30);
    await expect429(await t.get('/no/such/path'), 30);
    for (let i = 0; i < 10; i++) {
      const live = await t.get('/health');
      expect(live.status).toBe(200);
      expect(live.headers.get('ratelimit-limit')).toBeNull();
      expect((await t.get('/health/ready')).status).toBe(200);
    }
    // tenant routes are not counted against the address
    expect((await t.get('/routes/knowledge/fresh/index')).status).toBe(200);
  });

  it('refuses before the tenant guard does any database work', async () => {
    // the window's count for a tenant never seen: already at the limit
    await t.app.get(PrismaService).$executeRaw`
      INSERT INTO rate_limit_windows (bucket, window_start, hits) VALUES ('tenant:ghost-co', ${new Date(T0 - 30_000)}, 3)`;
    await expect429(await t.get('/routes/knowledge/ghost-co/index'), 30);
    expect(await t.app.get(PrismaService).tenant.findUnique({ where: { slug: 'ghost-co' } })).toBeNull();
  });

  it('decides requests that arrive together as one after another would be: exactly the limit passes', async () => {
    const answers = await Promise.all(times(12, () => t.get('/routes/knowledge/crowd/index')));
    const passed = answers.filter((r) => r.status === 200);
    expect(passed).toHaveLength(3);
    expect(answers.filter((r) => r.status === 429)).toHaveLength(9);
    expect(passed.map((r) => r.headers.get('ratelimit-remaining')).sort()).toEqual(['0', '1', '2']);
    expect((await windowsOf(t, 'tenant:crowd')).map((w) => w.hits)).toEqual([12]);
  });

  it('starts a new count with each minute and deletes windows older than the previous one', async () => {
    expect(await statuses(times(4, () => () => t.get('/routes/knowledge/roll/index')))).toEqual([200, 200, 200, 429]);
    setClock(t, T0 + 30_000); // the next minute
    expect(await statuses(times(4, () => () => t.get('/routes/knowledge/roll/index')))).toEqual([200, 200, 200, 429]);
    expect((await windowsOf(t, 'tenant:roll')).map((w) => w.hits)).toEqual([4, 4]);
    setClock(t, T0 + 90_000); // two minutes on: the first window is pruned
    expect((await t.get('/routes/knowledge/roll/index')).status).toBe(200);
    for (;;) {
      const left = await windowsOf(t, 'tenant:roll');
      if (left.length === 2) {
        expect(left.map((w) => w.window_start.getTime())).toEqual([T0 + 30_000, T0 + 90_000]);
        break;
      }
      await new Promise((r) => setImmediate(r)); // the pruning runs beside the request; wait for it, not for a time
    }
  });
});

describe('rate limits shared by two API processes on one database (postgres)', () => {
  const run = TEST_ENGINES.includes('postgres') ? it : it.skip;
  let database: ScratchDatabase | undefined;
  let a: TestApp | undefined;
  let b: TestApp | undefined;
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await database?.drop();
  });

  run('counts requests to either process in one budget', async () => {
    database = await createScratchDatabase('postgres');
    a = await startTestApp('postgres', LIMITS, database);
    b = await startTestApp('postgres', LIMITS, database);
    setClock(a, T0);
    setClock(b, T0);
    const first = a;
    const second = b;
    const answers: Response[] = [];
    for (const app of [first, second, first]) answers.push(await app.get('/routes/knowledge/shared/index'));
    expect(answers.map((r) => [r.status, r.headers.get('ratelimit-remaining')])).toEqual([
      [200, '2'],
      [200, '1'],
      [200, '0'],
    ]);
    await expect429(await second.get('/routes/knowledge/shared/index'), 30);
    await expect429(await first.get('/routes/knowledge/shared/index'), 30);
    // and per address too
    expect(await statuses([() => first.get('/routes/knowledge/vocabulary'), () => second.get('/routes/knowledge/vocabulary'), () => first.get('/routes/knowledge/vocabulary')])).toEqual([200, 200, 200]);
    await expect429(await second.get('/routes/knowledge/vocabulary'), 30);
  });
});
