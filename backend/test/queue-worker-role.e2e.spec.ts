import { PrismaService } from '../src/database/prisma.service.js';
import { TENANT_ROLE, TenantDatabase } from '../src/database/tenant-database.js';
import { QUEUE_WORKER_ROLE } from '../src/ingestion/ingestion-jobs.repository.js';
import { TEST_ENGINES } from './support/engines.js';
import { jsonInit, META } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/**
 * The queue worker sees every tenant's jobs through a role of its own, not through a setting a
 * tenant transaction could turn on (finding 5 of the hardening probe).
 */
describe.each(TEST_ENGINES)('queue worker role (%s)', (engine) => {
  let t: TestApp;
  let prisma: PrismaService;
  let tenantA: string;
  let tenantB: string;

  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_WORKER: 'false' }); // jobs stay queued
    prisma = t.app.get(PrismaService);
    for (const slug of ['role-a', 'role-b']) {
      for (const text of ['first text', 'second text']) {
        const res = await t.get(`/routes/knowledge/${slug}`, jsonInit('POST', { ...META, text: `${slug} ${text}` }));
        expect(res.status).toBe(202);
      }
    }
    tenantA = (await prisma.tenant.findUniqueOrThrow({ where: { slug: 'role-a' } })).id;
    tenantB = (await prisma.tenant.findUniqueOrThrow({ where: { slug: 'role-b' } })).id;
  });
  afterAll(() => t?.close());

  const jobTenants = (rows: { tenant_id: string }[]): string[] => [...new Set(rows.map((r) => r.tenant_id))].sort();

  it("turning app.queue_worker on inside tenant A's transaction no longer shows or lets it change B's jobs", async () => {
    const { seen, changed } = await t.app.get(TenantDatabase).run(tenantA, async (tx) => {
      await tx.$queryRawUnsafe(`SELECT set_config('app.queue_worker', 'on', true)`);
      const seen = await tx.$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id::text FROM ingestion_jobs');
      const changed = await tx.$executeRawUnsafe(`UPDATE ingestion_jobs SET status = 'failed' WHERE tenant_id = '${tenantB}'`);
      return { seen, changed };
    });
    expect(seen).toHaveLength(2);
    expect(jobTenants(seen)).toEqual([tenantA]);
    expect(changed).toBe(0);
    const bJobs = await t.app.get(TenantDatabase).run(tenantB, (tx) => tx.$queryRawUnsafe<{ status: string }[]>('SELECT status FROM ingestion_jobs'));
    expect(bJobs.map((j) => j.status)).toEqual(['queued', 'queued']);
  });

  it('no policy on ingestion_jobs reads app.queue_worker any more; the worker role has one of its own', async () => {
    const policies = await prisma.$queryRawUnsafe<{ policyname: string; roles: string; qual: string; with_check: string }[]>(
      `SELECT policyname, roles::text AS roles, qual, with_check FROM pg_policies WHERE tablename = 'ingestion_jobs' ORDER BY policyname`,
    );
    expect(policies.map((p) => [p.policyname, p.roles])).toEqual([
      ['queue_worker', `{${QUEUE_WORKER_ROLE}}`],
      ['tenant_isolation', '{public}'],
    ]);
    for (const policy of policies) expect(`${policy.qual} ${policy.with_check}`).not.toContain('queue_worker');
  });

  it('the tenant role is not a member of the worker role, so it has no right to SET ROLE to it', async () => {
    const [membership] = await prisma.$queryRawUnsafe<{ member: boolean }[]>(
      `SELECT pg_has_role('${TENANT_ROLE}', '${QUEUE_WORKER_ROLE}', 'MEMBER') AS member`,
    );
    expect(membership?.member).toBe(false);
  });

  // SET ROLE is authorised by the session user (the login), not by the current role, so the
  // tenant role's own right is shown by making it the session user for one transaction. Only on
  // PostgreSQL: PGlite keeps a SET LOCAL SESSION AUTHORIZATION after the transaction ends.
  (engine === 'postgres' ? it : it.skip)('as the session user, the tenant role cannot SET ROLE to the worker role', async () => {
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL SESSION AUTHORIZATION ${TENANT_ROLE}`);
        await tx.$queryRawUnsafe(`SELECT set_config('app.tenant_id', '${tenantA}', true)`);
        await tx.$executeRawUnsafe(`SET ROLE ${QUEUE_WORKER_ROLE}`);
        return tx.$queryRawUnsafe('SELECT tenant_id FROM ingestion_jobs');
      }),
    ).rejects.toThrow(/permission denied to set role "bb_queue_worker"/);
    const [after] = await prisma.$queryRawUnsafe<{ user: string }[]>('SELECT session_user::text AS user');
    expect(after?.user).not.toBe(TENANT_ROLE);
  });

  it("the worker role sees every tenant's jobs and may only read and update them", async () => {
    const seen = await prisma.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(`SET LOCAL ROLE ${QUEUE_WORKER_ROLE}`);
      return tx.$queryRawUnsafe<{ tenant_id: string }[]>('SELECT tenant_id::text FROM ingestion_jobs');
    });
    expect(seen).toHaveLength(4);
    expect(jobTenants(seen)).toEqual([tenantA, tenantB].sort());
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL ROLE ${QUEUE_WORKER_ROLE}`);
        return tx.$executeRawUnsafe('DELETE FROM ingestion_jobs');
      }),
    ).rejects.toThrow(/permission denied/);
    await expect(
      prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe(`SET LOCAL ROLE ${QUEUE_WORKER_ROLE}`);
        return tx.$queryRawUnsafe('SELECT count(*) FROM documents');
      }),
    ).rejects.toThrow(/permission denied/);
  });
});
