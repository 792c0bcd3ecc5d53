/**
 * Which database engines the integration tests run against. Both by default; the PostgreSQL one
 * needs TEST_POSTGRES_ADMIN_URL (scripts/test.sh provisions the server and sets it). Asking for
 * postgres without it fails the run instead of silently skipping half the suite.
 */
export type EngineKind = 'pglite' | 'postgres';

export const TEST_ENGINES: EngineKind[] = (process.env['TEST_ENGINES'] ?? 'pglite,postgres')
  .split(',')
  .map((e) => e.trim())
  .filter((e): e is EngineKind => e === 'pglite' || e === 'postgres');

export function postgresAdminUrl(): string {
  const url = process.env['TEST_POSTGRES_ADMIN_URL'];
  if (!url) {
    throw new Error(
      'TEST_POSTGRES_ADMIN_URL is not set. Run the suite with `npm test` (it provisions PostgreSQL + pgvector), ' +
        'or set TEST_ENGINES=pglite to run against the embedded engine only.',
    );
  }
  return url;
}

/**
 * The one engine for tests of the HTTP surface (error shapes, health routes, Swagger, paging),
 * where the database engine makes no difference: PostgreSQL when it is in the run (its scratch
 * databases start faster), else the embedded engine. Tests where the engine matters (isolation,
 * the queue, migrations, snapshots, crashes, vectors) run on every engine in TEST_ENGINES.
 */
export const HTTP_ENGINE: EngineKind = TEST_ENGINES.includes('postgres') ? 'postgres' : 'pglite';
