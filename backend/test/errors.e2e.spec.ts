import { DATABASE_ENGINE, type DatabaseEngine } from '../src/database/database-engine.js';
import { HTTP_ENGINE } from './support/engines.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const expectErrorShape = async (res: Response, status: number): Promise<Record<string, unknown>> => {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  const body = (await res.json()) as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({ statusCode: status, error: expect.any(String), message: expect.any(String), request_id: expect.any(String) }),
  );
  expect(body['request_id']).toBe(res.headers.get('x-request-id'));
  return body;
};

describe.each([HTTP_ENGINE])('error responses and request ids (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t?.close());

  it('unknown route: 404 in the common shape', async () => {
    const body = await expectErrorShape(await t.get('/no/such/route'), 404);
    expect(body['error']).toBe('Not Found');
  });

  it('malformed JSON body: 400 in the common shape', async () => {
    await expectErrorShape(
      await t.get('/health', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{oops' }),
      400,
    );
  });

  it('validation errors name every failing field', async () => {
    const body = await expectErrorShape(await t.get('/routes/knowledge/acme/index?limit=0&offset=-5&bogus=1'), 400);
    const fields = (body['details'] as { field: string }[]).map((d) => d.field).sort();
    expect(fields).toEqual(['bogus', 'limit', 'offset']);
    expect(body['message']).toMatch(/limit/);
    expect(body['message']).toMatch(/offset/);
  });

  it('an invalid tenant slug is a 400', async () => {
    const body = await expectErrorShape(await t.get('/routes/knowledge/Not_A_Slug/index'), 400);
    expect(body['message']).toMatch(/tenant/);
  });

  it('reuses a safe incoming X-Request-Id and replaces an unsafe one', async () => {
    const mine = await t.get('/health', { headers: { 'x-request-id': 'trace-abc.123' } });
    expect(mine.headers.get('x-request-id')).toBe('trace-abc.123');
    const unsafe = await t.get('/health', { headers: { 'x-request-id': 'bad id with spaces <script>' } });
    expect(unsafe.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('writes the request id into every log line of a request', async () => {
    const res = await t.get('/routes/knowledge/logcheck/index', { headers: { 'x-request-id': 'req-log-check-1' } });
    expect(res.status).toBe(200);
    const lines = t.logs.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => JSON.stringify(l).includes('logcheck'));
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) expect(line['request_id']).toBe('req-log-check-1');
  });
});

describe.each([HTTP_ENGINE])('unexpected failures (%s)', (engine) => {
  it('answer 500 without internals, and the server keeps running', async () => {
    const t = await startTestApp(engine);
    try {
      await t.app.get<DatabaseEngine>(DATABASE_ENGINE).close();
      const body = await expectErrorShape(await t.get('/routes/knowledge/acme/index'), 500);
      expect(body['message']).toBe('Internal server error');
      expect(JSON.stringify(body)).not.toMatch(/prisma|pool|pglite|ECONN|at .*\.ts/i);
      expect((await t.get('/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
