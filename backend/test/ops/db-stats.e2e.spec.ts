import { TEST_ENGINES } from '../support/engines.js';
import { runOps } from '../support/ops-process.js';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { seedTwoTenants, withEngine, type SeededTenant } from './ops-fixtures.js';

interface StatsJson {
  engine: string;
  databaseBytes: number;
  connections: { total: number; byApplication: { application: string; connections: number }[] } | null;
  tenants: { tenantId: string; slug: string; knowledgeBases: number; documents: number; documentBytes: number; embeddings: number }[];
  tables: { name: string; bytes: number; indexBytes: number; totalBytes: number }[];
  indexes: { name: string; table: string; bytes: number }[];
}

describe.each(TEST_ENGINES)('ops db:stats (%s)', (engine) => {
  let db: ScratchDatabase;
  let seeded: SeededTenant[];
  beforeAll(async () => {
    db = await createScratchDatabase(engine);
    seeded = await seedTwoTenants(db);
  });
  afterAll(() => db?.drop());

  it("counts each tenant's knowledge bases, documents and embeddings as seeded", async () => {
    const run = await runOps('db-stats', ['--json'], db.env);
    expect(run.code).toBe(0);
    const stats = JSON.parse(run.stdout) as StatsJson;
    expect(stats.engine).toBe(engine);
    expect(stats.tenants).toEqual(
      seeded.map((t) => ({
        tenantId: t.tenantId,
        slug: t.slug,
        knowledgeBases: t.knowledgeBases,
        documents: t.documents,
        documentBytes: t.documentBytes,
        embeddings: t.embeddings,
      })),
    );
    // the seed differs per tenant, so a count over every tenant (or none) could not match both
    expect(stats.tenants.map((t) => t.embeddings)).toEqual([6, 5]);
  });

  it('reports table and index sizes as the database measures them, and the connections', async () => {
    const run = await runOps('db-stats', ['--json'], db.env);
    const stats = JSON.parse(run.stdout) as StatsJson;
    const measured = await withEngine(db, async (e) => {
      const [row] = await e.query<{ cosine: unknown; embeddings: unknown; database: unknown }>(
        `SELECT pg_relation_size('embeddings_vector_cosine_idx') AS cosine, pg_total_relation_size('embeddings') AS embeddings,
                pg_database_size(current_database()) AS database`,
      );
      return { cosine: Number(row?.cosine), embeddings: Number(row?.embeddings), database: Number(row?.database) };
    });
    expect(stats.indexes).toContainEqual({ name: 'embeddings_vector_cosine_idx', table: 'embeddings', bytes: measured.cosine });
    expect(stats.tables.find((t) => t.name === 'embeddings')?.totalBytes).toBe(measured.embeddings);
    expect(stats.tables.map((t) => t.name)).toEqual(expect.arrayContaining(['tenants', 'knowledge_bases', 'documents', 'embeddings', '_prisma_migrations']));
    expect(stats.databaseBytes).toBeGreaterThan(0);
    if (engine === 'postgres') {
      // its own connection, named apart from a server's pool
      expect(stats.connections?.byApplication).toContainEqual({ application: 'business-brain ops', connections: 1 });
    } else {
      expect(stats.connections).toBeNull();
    }
  });

  it('prints the same as tables for a person', async () => {
    const run = await runOps('db-stats', [], db.env);
    expect(run.code).toBe(0);
    for (const t of seeded) {
      expect(run.stdout).toMatch(new RegExp(`^${t.slug}\\s+${t.tenantId}\\s+${t.knowledgeBases}\\s+${t.documents}\\s+${t.documentBytes}\\s+${t.embeddings}$`, 'm'));
    }
    expect(run.stdout).toMatch(/^\(all\)\s+3\s+5\s+1024\s+11$/m);
    expect(run.stdout).toMatch(/^embeddings_vector_cosine_idx\s+embeddings\s+\d+(\.\d)? (B|KiB|MiB)$/m);
    expect(run.stdout).toMatch(engine === 'postgres' ? /^ {2}\d+ to this database \(this command's included\)/m : /^ {2}embedded \(PGlite\)/m);
  });
});
