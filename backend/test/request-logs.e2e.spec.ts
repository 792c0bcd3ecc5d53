import { DATABASE_ENGINE, type DatabaseEngine } from '../src/database/database-engine.js';
import { HTTP_ENGINE } from './support/engines.js';
import { parseSamples, valueOf } from './support/prometheus-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface LogLine {
  level: number;
  msg?: string;
  request_id?: string;
  route?: string;
  tenant?: string;
  err?: { type?: string; message?: string; stack?: string };
}

const TOKEN = 'request-logs-metrics-token-00112233445566778899';

const linesOf = (t: TestApp, requestId: string): LogLine[] =>
  t.logs.map((line) => JSON.parse(line) as LogLine).filter((line) => line.request_id === requestId);

describe.each([HTTP_ENGINE])('request log lines (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { METRICS_TOKEN: TOKEN });
  });
  afterAll(() => t?.close());

  it("carry the request id, the route's pattern and the tenant of a tenant route", async () => {
    const res = await t.get('/routes/knowledge/log-fields-co/index', { headers: { 'x-request-id': 'log-fields-1' } });
    expect(res.status).toBe(200);
    const lines = linesOf(t, 'log-fields-1');
    expect(lines.map((l) => l.msg)).toEqual(expect.arrayContaining(['incoming request', 'request completed']));
    for (const line of lines) {
      expect(line).toEqual(expect.objectContaining({ route: '/routes/knowledge/:tenant/index', tenant: 'log-fields-co' }));
    }
    // one request_id per line: Fastify's binding and the context's are never both written
    for (const raw of t.logs.filter((l) => l.includes('log-fields-1'))) expect(raw.match(/"request_id"/g)).toHaveLength(1);
  });

  it('carry the route without a tenant on other routes, and a fixed route when none matched', async () => {
    expect((await t.get('/routes/knowledge/vocabulary', { headers: { 'x-request-id': 'log-fields-2' } })).status).toBe(200);
    expect((await t.get('/no/such/log-fields-co', { headers: { 'x-request-id': 'log-fields-3' } })).status).toBe(404);
    const publicLines = linesOf(t, 'log-fields-2');
    const unmatched = linesOf(t, 'log-fields-3');
    expect(publicLines.length).toBeGreaterThanOrEqual(2);
    expect(unmatched.length).toBeGreaterThanOrEqual(2);
    for (const line of publicLines) expect(line.route).toBe('/routes/knowledge/vocabulary');
    for (const line of unmatched) expect(line.route).toBe('unmatched');
    for (const line of [...publicLines, ...unmatched]) expect(line).not.toHaveProperty('tenant');
  });

  it('log a failure with its stack under the request, and answer without it; /metrics still answers', async () => {
    await t.app.get<DatabaseEngine>(DATABASE_ENGINE).close();
    const res = await t.get('/routes/knowledge/log-fields-co/index', { headers: { 'x-request-id': 'log-fields-500' } });
    expect(res.status).toBe(500);
    const body = await res.text();
    expect(JSON.parse(body)).toEqual({ statusCode: 500, error: 'Internal Server Error', message: 'Internal server error', request_id: 'log-fields-500' });
    expect(body).not.toMatch(/\bat \S+|stack|\.ts\b|\.js\b/);

    const failed = linesOf(t, 'log-fields-500').filter((l) => l.level >= 50);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toEqual(expect.objectContaining({ msg: 'request failed', route: '/routes/knowledge/:tenant/index', tenant: 'log-fields-co' }));
    expect(failed[0]?.err?.stack).toMatch(/\n\s+at /);

    // the queue cannot be counted without the database: its gauges are left out, the rest is served
    const scrape = await t.get('/metrics', { headers: { authorization: `Bearer ${TOKEN}`, 'x-request-id': 'log-fields-scrape' } });
    expect(scrape.status).toBe(200);
    const samples = parseSamples(await scrape.text());
    expect(valueOf(samples, 'bb_ingestion_queue_jobs', { state: 'queued' })).toBeUndefined();
    expect(valueOf(samples, 'bb_http_requests_total', { method: 'GET', route: '/routes/knowledge/:tenant/index', status_code: '500' })).toBe(1);
    expect(linesOf(t, 'log-fields-scrape').some((l) => l.msg === 'counting the ingestion queue for /metrics failed' && l.route === '/metrics')).toBe(true);
  });
});
