import { TenantDatabase } from '../src/database/tenant-database.js';
import { TEST_ENGINES } from './support/engines.js';
import { seedTenant } from './support/seed.js';
import { startTestApp, type TestApp } from './support/test-app.js';

// PGlite serves one connection: its transactions never interleave, so only PostgreSQL can show this.
const onPostgres = TEST_ENGINES.includes('postgres') ? describe : describe.skip;

onPostgres('snapshot reads (postgres)', () => {
  let t: TestApp;
  let seeded: Awaited<ReturnType<typeof seedTenant>>;

  beforeAll(async () => {
    t = await startTestApp('postgres');
    seeded = await seedTenant(t.app, 'snapshots', { title: 'Original' });
  });
  afterAll(() => t?.close());

  /** Reads the entry's title, commits a new title from another connection, reads it again. */
  const readAroundCommit = (snapshot: boolean, newTitle: string): Promise<string[]> => {
    const db = t.app.get(TenantDatabase);
    const { tenantId, knowledgeBaseId: id } = seeded;
    const title = async (tx: Parameters<Parameters<TenantDatabase['run']>[1]>[0]): Promise<string> =>
      (await tx.knowledgeBase.findFirstOrThrow({ where: { tenantId, id } })).title;
    return db.run(
      tenantId,
      async (tx) => {
        const before = await title(tx);
        await db.run(tenantId, (other) => other.knowledgeBase.updateMany({ where: { tenantId, id }, data: { title: newTitle } }));
        return [before, await title(tx)];
      },
      { snapshot },
    );
  };

  it('a snapshot transaction sees the same data in every statement, though another commits in between', async () => {
    expect(await readAroundCommit(true, 'Changed once')).toEqual(['Original', 'Original']);
  });

  it('without it, the second statement sees the other commit (READ COMMITTED), which is why reads ask for one', async () => {
    expect(await readAroundCommit(false, 'Changed twice')).toEqual(['Changed once', 'Changed twice']);
  });
});
