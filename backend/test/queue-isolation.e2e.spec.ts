import { PrismaService } from '../src/database/prisma.service.js';
import { TenantDatabase } from '../src/database/tenant-database.js';
import { IngestionJobsRepository } from '../src/ingestion/ingestion-jobs.repository.js';
import { TEST_ENGINES } from './support/engines.js';
import { jsonInit, META } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** The queue table is tenant-owned too; only the worker's claim may see across tenants. */
describe.each(TEST_ENGINES)('ingestion queue (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_WORKER: 'false' }); // jobs stay queued
    for (const slug of ['queue-a', 'queue-b']) {
      for (const text of ['first text', 'second text']) {
        const res = await t.get(`/routes/knowledge/${slug}`, jsonInit('POST', { ...META, text: `${slug} ${text}` }));
        expect(res.status).toBe(202);
      }
    }
  });
  afterAll(() => t?.close());

  it("an unscoped SELECT on ingestion_jobs inside tenant A's transaction sees only A's jobs", async () => {
    const tenantA = (await t.app.get(PrismaService).tenant.findUniqueOrThrow({ where: { slug: 'queue-a' } })).id;
    const rows = await t.app.get(TenantDatabase).run(tenantA, (tx) => tx.$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id::text FROM ingestion_jobs'));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.tenant_id).toBe(tenantA);
  });

  it('the worker claims across tenants, each job once, and a stale running job again', async () => {
    const queue = t.app.get(IngestionJobsRepository);
    const [first, second] = await Promise.all([queue.claim('worker-1', 3, 60_000), queue.claim('worker-2', 3, 60_000)]);
    // Two claims at once rank the same jobs first, and the one that finds them locked skips them
    // rather than wait: together they take 3 or 4 of the 4, never one twice; the next poll takes the rest.
    const rest = await queue.claim('worker-2', 3, 60_000);
    const claimed = [...(first ?? []), ...(second ?? []), ...rest];
    expect(claimed).toHaveLength(4);
    expect(new Set(claimed.map((j) => j.id)).size).toBe(4);
    expect(new Set(claimed.map((j) => j.tenantId)).size).toBe(2);
    expect(await queue.claim('worker-3', 10, 60_000)).toEqual([]); // all running, heartbeats fresh
    // the holders stop heartbeating (they died): their last heartbeat ages past the limit
    await t.app.get(PrismaService).$executeRaw`UPDATE ingestion_jobs SET heartbeat_at = now() - interval '2 seconds'`;
    const reclaimed = await queue.claim('worker-3', 10, 1_000); // now stale
    expect(reclaimed).toHaveLength(4);
    expect(reclaimed.every((j) => j.attempts === 2)).toBe(true);
    // the previous holder has lost them
    const lost = claimed[0];
    expect(lost && (await queue.heartbeat(lost, 'worker-1'))).toBe('lost');
  });
});
