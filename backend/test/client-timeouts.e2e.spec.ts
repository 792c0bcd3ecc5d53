import { connect, type Socket } from 'node:net';

import { PrismaService } from '../src/database/prisma.service.js';
import { UploadMemoryBudget } from '../src/knowledge/upload-memory.interceptor.js';
import { HTTP_ENGINE } from './support/engines.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** Short deadlines, so the tests wait for the server's own timer rather than minutes. */
const ENV = { HTTP_HEADERS_TIMEOUT_MS: '400', HTTP_REQUEST_TIMEOUT_MS: '800', UPLOAD_MEMORY_WAIT_MS: '0', INGESTION_WORKER: 'false' };

/** A connection that sends the given bytes and then nothing more; resolves with all the server said once it closes. */
function stalledRequest(t: TestApp, bytes: string): { answer: Promise<string>; socket: Socket } {
  const socket = connect(Number(new URL(t.baseUrl).port), '127.0.0.1');
  const parts: Buffer[] = [];
  const answer = new Promise<string>((resolve, reject) => {
    socket.on('data', (d: Buffer) => parts.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(parts).toString('utf8')));
  });
  socket.write(bytes);
  return { answer, socket };
}

const parse = (answer: string): { head: string; body: Record<string, unknown> } => {
  const [head = '', payload = ''] = answer.split('\r\n\r\n');
  return { head, body: JSON.parse(payload) as Record<string, unknown> };
};

/** Waits for a state inside the server: an event observed, not a length of time. */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

describe.each([HTTP_ENGINE])('slow clients are cut off (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, ENV);
  });
  afterAll(() => t?.close());

  it('headers that never finish: 408 in the one error shape, and the connection is closed', async () => {
    const { answer } = stalledRequest(t, 'GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: a');
    const { head, body } = parse(await answer);
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(head).toMatch(/^connection: close$/im);
    expect(body).toEqual({ statusCode: 408, error: 'Request Timeout', message: 'The request was not received in time', request_id: expect.any(String) });
  });

  it('an upload whose body stops arriving: 408, its memory given back, nothing stored', async () => {
    const budget = t.app.get(UploadMemoryBudget);
    const boundary = 'slowboundary';
    const start = `--${boundary}\r\nContent-Disposition: form-data; name="title"\r\n\r\nSlow\r\n--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nonly the start`;
    const { answer } = stalledRequest(
      t,
      `POST /routes/knowledge/slow-co HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 50000\r\n\r\n${start}`,
    );
    await until(() => budget.inUse > 0);
    const { head, body } = parse(await answer);
    expect(head).toMatch(/^HTTP\/1\.1 408 /);
    expect(body).toEqual(expect.objectContaining({ statusCode: 408, message: 'The request was not received in time' }));
    await until(() => budget.inUse === 0);
    const tenant = await t.app.get(PrismaService).tenant.findUnique({ where: { slug: 'slow-co' } });
    const stored = tenant ? await t.app.get(PrismaService).knowledgeBase.count({ where: { tenantId: tenant.id } }) : 0;
    expect(stored).toBe(0);
    // the server goes on answering
    expect((await t.get('/health')).status).toBe(200);
  });

  it('a query string longer than the header limit: 431 in the one shape', async () => {
    const res = await t.get(`/routes/knowledge/slow-co/index?q=${'a'.repeat(20_000)}`);
    expect(res.status).toBe(431);
    expect(await res.json()).toEqual(expect.objectContaining({ statusCode: 431, message: 'The request headers are too large' }));
  });
});
