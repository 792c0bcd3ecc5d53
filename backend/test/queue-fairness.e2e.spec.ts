import { randomUUID } from 'node:crypto';

import { PrismaService } from '../src/database/prisma.service.js';
import { IngestionJobsRepository } from '../src/ingestion/ingestion-jobs.repository.js';
import { TenantsService } from '../src/tenants/tenants.service.js';
import { TEST_ENGINES } from './support/engines.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * Seeds `count` queued documents (with their jobs) for a tenant, straight in SQL: created a
 * millisecond apart, oldest first, the newest `createdSecondsAgo` before now and never after it
 * (a job due in the future is not claimable yet).
 */
async function seedBacklog(t: TestApp, slug: string, count: number, createdSecondsAgo: number): Promise<string> {
  const tenantId = (await t.app.get(TenantsService).provision(slug, null)).id;
  const prisma = t.app.get(PrismaService);
  const salt = randomUUID();
  await prisma.$executeRaw`
    WITH kb AS (INSERT INTO knowledge_bases (tenant_id, title, type, intent, status) VALUES (${tenantId}::uuid, 'backlog', 'Reference', 'Technical', 'queued') RETURNING id),
    docs AS (
      INSERT INTO documents (tenant_id, knowledge_base_id, source_kind, content_hash, content, status, created_at)
      SELECT ${tenantId}::uuid, kb.id, 'text', md5(${salt} || g) || md5(g::text), convert_to('text ' || g, 'UTF8'), 'queued',
             now() - make_interval(secs => ${createdSecondsAgo} + (${count} - g) / 1000.0)
        FROM kb, generate_series(1, ${count}) g
      RETURNING id, created_at)
    INSERT INTO ingestion_jobs (tenant_id, document_id, run_after, created_at)
    SELECT ${tenantId}::uuid, id, created_at, created_at FROM docs`;
  return tenantId;
}

/**
 * Fairness between tenants in the queue: a tenant's backlog of thousands does not delay another
 * tenant's first document, nor may one tenant hold every running slot.
 */
describe.each(TEST_ENGINES)('fair claims (%s)', (engine) => {
  let t: TestApp;
  let queue: IngestionJobsRepository;
  let tenantA: string;
  let tenantB: string;
  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_WORKER: 'false' }); // this test claims by hand
    queue = t.app.get(IngestionJobsRepository);
    tenantA = await seedBacklog(t, 'busy-co', 2_000, 600); // queued ten minutes ago
    tenantB = await seedBacklog(t, 'quiet-co', 1, 1); // one upload, just now
  });
  afterAll(() => t?.close());

  it("claims another tenant's one new job before the rest of a big, older backlog, and caps each tenant's running jobs", async () => {
    // a worker with 8 slots, at most 4 per tenant
    const first = await queue.claim('worker-1', 8, 60_000, 4);
    expect(first.filter((j) => j.tenantId === tenantB)).toHaveLength(1);
    expect(first.filter((j) => j.tenantId === tenantA)).toHaveLength(4);
    // A is at its cap: free slots stay free for others rather than go to A
    expect(await queue.claim('worker-1', 8, 60_000, 4)).toEqual([]);

    // B uploads again while A still holds 4: B's job comes first, then A gets the slot of a finished job
    await seedBacklog(t, 'quiet-co', 1, 0);
    const next = await queue.claim('worker-2', 1, 60_000, 4);
    expect(next.map((j) => j.tenantId)).toEqual([tenantB]);
    const a = first.find((j) => j.tenantId === tenantA);
    await t.app.get(PrismaService).$executeRaw`DELETE FROM ingestion_jobs WHERE id = ${a?.id ?? ''}::uuid`;
    expect((await queue.claim('worker-2', 8, 60_000, 4)).map((j) => j.tenantId)).toEqual([tenantA]);

    // A's running jobs are its oldest: the first four, less the finished one, plus the fifth
    const running = await t.app.get(PrismaService).$queryRaw<{ text: string }[]>`
      SELECT convert_from(d.content, 'UTF8') AS text FROM ingestion_jobs j JOIN documents d ON d.id = j.document_id
       WHERE j.tenant_id = ${tenantA}::uuid AND j.status = 'running' ORDER BY d.created_at`;
    const finished = await t.app.get(PrismaService).$queryRaw<{ text: string }[]>`
      SELECT convert_from(content, 'UTF8') AS text FROM documents d
       WHERE tenant_id = ${tenantA}::uuid AND NOT EXISTS (SELECT 1 FROM ingestion_jobs j WHERE j.document_id = d.id)`;
    expect([...finished, ...running].map((r) => r.text).sort()).toEqual(['text 1', 'text 2', 'text 3', 'text 4', 'text 5']);
  });
});

describe.each(TEST_ENGINES.filter((e) => e === 'postgres'))('heartbeats (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_WORKER: 'false' });
    await seedBacklog(t, 'beat-co', 1, 1);
  });
  afterAll(() => t?.close());

  it('never wait for a lock on the job: busy while another transaction holds it, lost once another worker does', async () => {
    const queue = t.app.get(IngestionJobsRepository);
    const [job] = await queue.claim('worker-1', 1, 60_000);
    if (!job) throw new Error('nothing claimed');
    expect(await queue.heartbeat(job, 'worker-1')).toBe('held');

    const prisma = t.app.get(PrismaService);
    let release = (): void => undefined;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked = (): void => undefined;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    // the worker's own last transaction (storing, releasing the job) holds the row's lock for a while
    const lockHolder = prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM ingestion_jobs WHERE id = ${job.id}::uuid FOR UPDATE`;
      locked();
      await holding;
    });
    await isLocked;
    expect(await queue.heartbeat(job, 'worker-1')).toBe('busy');
    release();
    await lockHolder;

    await prisma.$executeRaw`UPDATE ingestion_jobs SET locked_by = 'worker-2' WHERE id = ${job.id}::uuid`;
    expect(await queue.heartbeat(job, 'worker-1')).toBe('lost');
  });
});
