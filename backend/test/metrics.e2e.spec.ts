import { DATABASE_ENGINE, type DatabaseEngine } from '../src/database/database-engine.js';
import { PrismaService } from '../src/database/prisma.service.js';
import { TEST_ENGINES } from './support/engines.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { parseSamples, valueOf, type Sample } from './support/prometheus-text.js';
import { sampleMarkdown } from './support/sample-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TOKEN = 'metrics-token-0123456789abcdef0123456789abcdef';
/** A slug that must never show in a scrape (labels hold route patterns, never paths). */
const TENANT = 'zebra-metrics-417';
const INDEX_ROUTE = '/routes/knowledge/:tenant/index';

const scrapeResponse = (t: TestApp): Promise<Response> => t.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}` } });

async function scrapeText(t: TestApp): Promise<string> {
  const res = await scrapeResponse(t);
  expect(res.status).toBe(200);
  return res.text();
}

const scrape = async (t: TestApp): Promise<Sample[]> => parseSamples(await scrapeText(t));

/** A sample's value, 0 while it has no series yet (a counter or histogram not yet observed with these labels). */
const count = (samples: readonly Sample[], name: string, labels: Record<string, string> = {}): number => valueOf(samples, name, labels) ?? 0;

/**
 * Scrapes until `done` holds. What the worker records after a document's last transaction (its
 * job's outcome) may land a moment after a request has seen the document ready; no deadline of
 * its own, Jest's timeout ends a test that truly hangs.
 */
async function scrapeUntil(t: TestApp, done: (samples: Sample[]) => boolean): Promise<Sample[]> {
  for (;;) {
    const samples = await scrape(t);
    if (done(samples)) return samples;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe.each(TEST_ENGINES)('GET /metrics (%s)', (engine) => {
  describe('requests, the database pool and the queue (ingestion off)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp(engine, { METRICS_TOKEN: TOKEN, INGESTION_WORKER: 'false' });
    });
    afterAll(() => t?.close());

    it('answers only a bearer of METRICS_TOKEN: 401 in the error shape otherwise', async () => {
      for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`, TOKEN]) {
        const res = await t.get('/metrics', { headers: authorization === undefined ? {} : { authorization } });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toBe('Bearer');
        expect(await res.json()).toEqual({
          statusCode: 401,
          error: 'Unauthorized',
          message: expect.stringMatching(/metrics token/),
          request_id: res.headers.get('x-request-id'),
        });
      }
      const ok = await scrapeResponse(t);
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      expect(ok.headers.get('cache-control')).toBe('no-store');
      const text = await ok.text();
      // Node's process metrics, from this app's own registry
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_eventloop_lag_seconds \d/m);
    });

    it('counts requests by route pattern and status, with their latency', async () => {
      const before = await scrape(t);
      const labels = { method: 'GET', route: INDEX_ROUTE, status_code: '200' };
      for (let i = 0; i < 3; i++) expect((await t.get(`/routes/knowledge/${TENANT}/index`)).status).toBe(200);
      expect((await t.get(`/routes/knowledge/${TENANT}/index?limit=0`)).status).toBe(400);
      expect((await t.get(`/routes/knowledge/${TENANT}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
      expect((await t.get(`/no/such/${TENANT}`)).status).toBe(404);
      const after = await scrape(t);

      const delta = (name: string, l: Record<string, string>): number => count(after, name, l) - count(before, name, l);
      expect(delta('bb_http_requests_total', labels)).toBe(3);
      expect(delta('bb_http_request_duration_seconds_count', labels)).toBe(3);
      expect(delta('bb_http_request_duration_seconds_bucket', { ...labels, le: '+Inf' })).toBe(3);
      expect(count(after, 'bb_http_request_duration_seconds_sum', labels)).toBeGreaterThan(0);
      expect(delta('bb_http_requests_total', { method: 'GET', route: INDEX_ROUTE, status_code: '400' })).toBe(1);
      expect(delta('bb_http_requests_total', { method: 'GET', route: '/routes/knowledge/:tenant/:id', status_code: '404' })).toBe(1);
      // no route matched: one fixed label, whatever the path
      expect(delta('bb_http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
      // the refused scrapes of the test before were counted too
      expect(count(after, 'bb_http_requests_total', { method: 'GET', route: '/metrics', status_code: '401' })).toBeGreaterThanOrEqual(5);
    });

    it('never names a tenant, an id or a path in a label', async () => {
      const created = await t.get(`/routes/knowledge/${TENANT}`, jsonInit('POST', { ...META, text: 'A note about label hygiene.' }));
      expect(created.status).toBe(202);
      const entry = (await created.json()) as EntryJson;
      expect((await t.get(`/routes/knowledge/${TENANT}/${entry.id}`)).status).toBe(200);
      const text = await scrapeText(t);
      expect(text).not.toContain(TENANT);
      expect(text).not.toContain(entry.id);
      const routes = new Set(parseSamples(text).flatMap((s) => (s.labels['route'] === undefined ? [] : [s.labels['route']])));
      for (const route of routes) expect(route === 'unmatched' || route === '/metrics' || route.startsWith('/routes/') || route.startsWith('/health')).toBe(true);
      expect(routes).toContain('/routes/knowledge/:tenant');
      expect(routes).toContain('/routes/knowledge/:tenant/:id');
    });

    it("reports the database pool's connections", async () => {
      const samples = await scrape(t);
      const inUse = valueOf(samples, 'bb_db_pool_connections', { engine, state: 'in_use' });
      const idle = valueOf(samples, 'bb_db_pool_connections', { engine, state: 'idle' });
      expect(inUse).toEqual(expect.any(Number));
      expect(idle).toEqual(expect.any(Number));
      expect(valueOf(samples, 'bb_db_pool_waiting', { engine })).toEqual(expect.any(Number));
      const max = t.config.database.engine === 'postgres' ? t.config.database.poolMax : 1;
      expect(valueOf(samples, 'bb_db_pool_max_connections', { engine })).toBe(max);
      if (engine === 'pglite') expect(inUse! + idle!).toBe(1);
      else expect(inUse! + idle!).toBeLessThanOrEqual(max);
    });

    it('shows a connection in use while a transaction holds it', async () => {
      let release = (): void => undefined;
      const released = new Promise<void>((resolve) => (release = resolve));
      let begun = (): void => undefined;
      const inTransaction = new Promise<void>((resolve) => (begun = resolve));
      const holding = t.app.get(PrismaService).$transaction(
        async (tx) => {
          await tx.$queryRaw`SELECT 1`;
          begun();
          await released;
        },
        { timeout: 600_000, maxWait: 600_000 },
      );
      await inTransaction;
      // on PGlite the scrape's queue count waits for the transaction's lock: release it once the
      // scrape has read the pool (its count of the queue is then waiting) or has answered
      const engineHandle = t.app.get<DatabaseEngine>(DATABASE_ENGINE);
      let answered = false;
      const scraping = scrape(t).finally(() => (answered = true));
      while (!answered && engineHandle.poolStats().waiting === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      release();
      const samples = await scraping;
      await holding;
      expect(valueOf(samples, 'bb_db_pool_connections', { engine, state: 'in_use' })).toBeGreaterThanOrEqual(1);
    });

    it('counts the ingestion queue by state, and the oldest waiting job', async () => {
      const before = await scrape(t);
      const queuedBefore = valueOf(before, 'bb_ingestion_queue_jobs', { state: 'queued' });
      expect(queuedBefore).toEqual(expect.any(Number));
      for (const text of ['First queued note.', 'Second queued note.']) {
        expect((await t.get(`/routes/knowledge/${TENANT}`, jsonInit('POST', { ...META, text }))).status).toBe(202);
      }
      const after = await scrape(t);
      expect(valueOf(after, 'bb_ingestion_queue_jobs', { state: 'queued' })).toBe(queuedBefore! + 2);
      for (const state of ['delayed', 'running', 'stalled']) expect(valueOf(after, 'bb_ingestion_queue_jobs', { state })).toBe(0);
      expect(valueOf(after, 'bb_ingestion_queue_oldest_queued_seconds')).toBeGreaterThanOrEqual(0);
    });
  });

  describe('ingestion, embeddings and search (an OpenAI-compatible server)', () => {
    let fake: FakeOpenAiServer;
    let t: TestApp;
    beforeAll(async () => {
      fake = await new FakeOpenAiServer().start();
      t = await startTestApp(engine, {
        METRICS_TOKEN: TOKEN,
        OPENAI_API_KEY: fake.apiKey,
        OPENAI_BASE_URL: fake.url,
        EMBEDDING_MAX_RETRIES: '0',
        INGESTION_POLL_MS: '100',
        CHUNK_TOKENS: '64',
        CHUNK_OVERLAP_TOKENS: '8',
      });
    });
    afterAll(async () => {
      await t?.close();
      await fake?.close();
    });
    beforeEach(() => fake.reset());

    const search = (body: Record<string, unknown>): Promise<Response> => t.get(`/routes/knowledge/${TENANT}/search`, jsonInit('POST', body));

    it("times a document's job and its stages, and its embedding requests", async () => {
      const before = await scrape(t);
      const created = await t.get(`/routes/knowledge/${TENANT}`, jsonInit('POST', { ...META, text: sampleMarkdown(41, 4, 4) }));
      expect(created.status).toBe(202);
      const entry = await waitForSettled(t, TENANT, ((await created.json()) as EntryJson).id);
      expect(entry.documents[0]?.status).toBe('ready');
      const ready = { outcome: 'ready' };
      const after = await scrapeUntil(t, (s) => count(s, 'bb_ingestion_job_duration_seconds_count', ready) > count(before, 'bb_ingestion_job_duration_seconds_count', ready));

      const delta = (name: string, labels: Record<string, string>): number => count(after, name, labels) - count(before, name, labels);
      expect(delta('bb_ingestion_job_duration_seconds_count', ready)).toBe(1);
      for (const stage of ['fetch', 'extract', 'embed_wait', 'store', 'first_chunk']) {
        expect(delta('bb_ingestion_stage_duration_seconds_count', { stage })).toBe(1);
      }
      expect(count(after, 'bb_ingestion_stage_duration_seconds_sum', { stage: 'store' })).toBeGreaterThan(0);
      // one histogram sample per request the embedding server answered
      expect(fake.requestCount).toBeGreaterThan(0);
      expect(delta('bb_embedding_request_duration_seconds_count', { kind: 'ingestion', outcome: 'ok' })).toBe(fake.requestCount);
      expect(valueOf(after, 'bb_ingestion_queue_jobs', { state: 'queued' })).toBe(0);
    });

    it('times searches by mode, and the query embedding requests they make', async () => {
      const before = await scrape(t);
      expect((await search({ query: 'metrics semantic probe', mode: 'semantic' })).status).toBe(200);
      expect((await search({ query: 'metrics hybrid probe', mode: 'hybrid' })).status).toBe(200);
      expect((await search({ query: 'metrics keyword probe', mode: 'keyword' })).status).toBe(200);
      const after = await scrape(t);
      const delta = (name: string, labels: Record<string, string>): number => count(after, name, labels) - count(before, name, labels);
      for (const mode of ['semantic', 'hybrid', 'keyword']) expect(delta('bb_search_duration_seconds_count', { mode, outcome: 'ok' })).toBe(1);
      // keyword search embeds nothing
      expect(fake.requestCount).toBe(2);
      expect(delta('bb_embedding_request_duration_seconds_count', { kind: 'query', outcome: 'ok' })).toBe(2);
      expect(count(after, 'bb_search_duration_seconds_sum', { mode: 'hybrid', outcome: 'ok' })).toBeGreaterThan(0);
    });

    it('counts failed embedding requests by reason, and the searches they failed', async () => {
      const before = await scrape(t);
      fake.program({ kind: 'rate-limit' }, { kind: 'status', status: 502 }, { kind: 'status', status: 400 });
      for (const query of ['metrics failure one', 'metrics failure two', 'metrics failure three']) {
        expect((await search({ query, mode: 'semantic' })).status).toBe(503);
      }
      const after = await scrape(t);
      const delta = (name: string, labels: Record<string, string>): number => count(after, name, labels) - count(before, name, labels);
      for (const reason of ['rate_limited', 'server_error', 'client_error']) {
        expect(delta('bb_embedding_request_errors_total', { kind: 'query', reason })).toBe(1);
      }
      expect(delta('bb_embedding_request_duration_seconds_count', { kind: 'query', outcome: 'error' })).toBe(3);
      expect(delta('bb_search_duration_seconds_count', { mode: 'semantic', outcome: 'error' })).toBe(3);
      expect(await scrapeText(t)).not.toContain(TENANT);
    });
  });
});
