import { HTTP_ENGINE, TEST_ENGINES } from './support/engines.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe.each([HTTP_ENGINE])('health endpoints (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t?.close());

  it('GET /health answers healthy', async () => {
    const res = await t.get('/health');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"healthy"}');
  });

  it('GET /routes/knowledge/health answers for the knowledge service', async () => {
    const res = await t.get('/routes/knowledge/health');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('{"status":"healthy","service":"knowledge"}');
  });

  it('GET /health/ready checks the database and pgvector 0.8', async () => {
    const res = await t.get('/health/ready');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; engine: string; checks: { vector: { version: string } } };
    expect(body.status).toBe('ready');
    expect(body.engine).toBe(engine);
    expect(body.checks.vector.version).toMatch(/^0\.8\.\d+$/);
  });
});

describe.each(TEST_ENGINES)('readiness failures (%s)', (engine) => {
  it('answers 503 naming the vector check when pgvector is missing', async () => {
    const t = await startTestApp(engine);
    try {
      const engineHandle = t.app.get<{ exec(sql: string): Promise<void> }>(
        (await import('../src/database/database-engine.js')).DATABASE_ENGINE,
      );
      await engineHandle.exec('DROP EXTENSION vector CASCADE');
      const res = await t.get('/health/ready');
      expect(res.status).toBe(503);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body['error']).toBe('Service Unavailable');
      expect(body['message']).toMatch(/vector/);
      expect(body['request_id']).toBe(res.headers.get('x-request-id'));
      // liveness is independent of the database
      expect((await t.get('/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });

  it('answers 503 naming the database check when the database is gone, and keeps serving', async () => {
    const t = await startTestApp(engine);
    try {
      const { DATABASE_ENGINE } = await import('../src/database/database-engine.js');
      await t.app.get<{ close(): Promise<void> }>(DATABASE_ENGINE).close();
      const res = await t.get('/health/ready');
      expect(res.status).toBe(503);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body['message']).toMatch(/database/);
      expect(body['message']).not.toMatch(/ECONNREFUSED|pool|pglite|stack/i);
      expect((await t.get('/health')).status).toBe(200);
    } finally {
      await t.close();
    }
  });
});
