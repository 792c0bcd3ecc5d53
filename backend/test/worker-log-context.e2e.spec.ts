import { PrismaService } from '../src/database/prisma.service.js';
import { QUEUE_WORKER_ROLE } from '../src/ingestion/ingestion-jobs.repository.js';
import { HTTP_ENGINE } from './support/engines.js';
import { jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface LogLine {
  msg?: string;
  context?: string;
  request_id?: string;
  job_id?: string;
  document_id?: string;
}

const WAKING_REQUEST = 'wake-the-worker-0001';

/** The worker's loop and jobs log as themselves, never as the request that happened to wake them (finding 8). */
describe('ingestion worker log context', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(HTTP_ENGINE, { INGESTION_POLL_MS: '50' });
  });
  afterAll(() => t?.close());

  const lines = (): LogLine[] => t.logs.map((line) => JSON.parse(line) as LogLine);
  const WORKER_CONTEXTS = new Set(['IngestionWorker', 'DocumentProcessor', 'ExtractionPool']);

  it("writes the worker's lines with their job and document ids, and none with the id of the request that woke it", async () => {
    const created = await t.get('/routes/knowledge/log-context', jsonInit('POST', { ...META, text: 'a note that wakes the worker' }, { 'x-request-id': WAKING_REQUEST }));
    expect(created.status).toBe(202);
    const entry = (await created.json()) as EntryJson;
    const documentId = entry.documents[0]?.id;
    const settled = await waitForSettled(t, 'log-context', entry.id);
    expect(settled.documents.map((d) => d.status)).toEqual(['ready']);

    const ready = lines().find((l) => l.msg === 'document ready');
    expect(ready).toEqual(expect.objectContaining({ context: 'IngestionWorker', document_id: documentId, job_id: expect.any(String) as string }));
    expect(ready?.request_id).toBeUndefined();

    // the loop the request woke keeps polling on its own timers: make its next claim fail, so it
    // writes a line of its own outside any job
    const prisma = t.app.get(PrismaService);
    await prisma.$executeRawUnsafe(`REVOKE UPDATE ON ingestion_jobs FROM ${QUEUE_WORKER_ROLE}`);
    try {
      while (!lines().some((l) => l.msg === 'claiming ingestion jobs failed')) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await prisma.$executeRawUnsafe(`GRANT UPDATE ON ingestion_jobs TO ${QUEUE_WORKER_ROLE}`);
    }
    const failedClaim = lines().find((l) => l.msg === 'claiming ingestion jobs failed');
    expect(failedClaim?.request_id).toBeUndefined();
    expect(failedClaim?.job_id).toBeUndefined();

    const all = lines();
    const worker = all.filter((l) => l.context !== undefined && WORKER_CONTEXTS.has(l.context) && l.msg !== undefined && !/started/.test(l.msg));
    expect(worker.length).toBeGreaterThanOrEqual(2);
    for (const line of worker) expect({ msg: line.msg, request_id: line.request_id }).toEqual({ msg: line.msg, request_id: undefined });
    // the waking request's own lines (Fastify's, the tenant's provisioning) are the only ones with its id
    const waking = all.filter((l) => l.request_id === WAKING_REQUEST);
    expect(waking.length).toBeGreaterThan(0);
    for (const line of waking) expect(line.context === undefined || !WORKER_CONTEXTS.has(line.context)).toBe(true);
    expect(waking.some((l) => l.job_id !== undefined)).toBe(false);
  });
});
