import type { AppConfig } from '../config/app-config.js';
import type { DatabaseEngine } from '../database/database-engine.js';
import { PrismaService } from '../database/prisma.service.js';
import { TenantDatabase } from '../database/tenant-database.js';
import { DocumentsRepository } from '../documents/documents.repository.js';
import { EmbeddingRebuildsRepository } from '../embeddings/embedding-rebuilds.repository.js';
import { EmbeddingsRepository } from '../embeddings/embeddings.repository.js';
import { EmbeddingError, type EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';
import { createEmbeddingProvider, embeddingProviderOptions } from '../embeddings/providers/create-embedding-provider.js';
import { Reembedder, ReembedError, type ReembedResult, type ReembedTenant } from '../reembedding/reembedder.js';
import { runOpsCommand } from './ops-command.js';
import { describeDatabase, openOpsDatabase } from './ops-database.js';
import { OpsError } from './ops-error.js';
import { ReembedReport } from './reembed-report.js';

/** A swap of a very large tenant may take minutes (every chunk's new vector enters both HNSW indexes); past this it rolls back. */
const SWAP_TIMEOUT_MS = 30 * 60_000;

/** Where the vectors come from, for the first line. */
function describeProvider(config: AppConfig['embeddings'], provider: EmbeddingProvider): string {
  if (!config.openAiApiKey?.trim()) return `${provider.model} (the offline embedder: no OPENAI_API_KEY)`;
  return `${provider.model} via ${config.openAiBaseUrl ?? 'the OpenAI API'}`;
}

/** The tenant named, or every tenant, by slug (the tenants table has no row-level security). */
async function selectTenants(engine: DatabaseEngine, slug: string | undefined): Promise<ReembedTenant[]> {
  const [staging] = await engine.query<{ present: boolean }>("SELECT to_regclass('embedding_rebuilds') IS NOT NULL AS present");
  if (!staging?.present) throw new OpsError('the database has no embedding_rebuilds table yet: apply the migrations first (npx nx run backend:migrate)');
  if (slug === undefined) return engine.query<{ id: string; slug: string }>('SELECT id::text AS id, slug FROM tenants ORDER BY slug');
  const found = await engine.query<{ id: string; slug: string }>('SELECT id::text AS id, slug FROM tenants WHERE slug = $1', [slug]);
  if (found.length === 0) throw new OpsError(`there is no tenant "${slug}"`);
  return found;
}

/**
 * `nx run backend:reembed [-- --tenant SLUG] [--all]`: re-embeds the chunks of one tenant (or of
 * every tenant, one after another) that carry another model than the configured one (every chunk
 * with --all), with the configured provider, while the servers keep answering searches from the
 * live vectors; then swaps each tenant's vectors in one transaction. Exit 1 when a tenant fails
 * (its live vectors untouched, its staged work kept for the next run).
 */
runOpsCommand(['tenant', 'all'], async ({ config, args }) => {
  const started = performance.now();
  const engine = await openOpsDatabase(config.database);
  const prisma = new PrismaService(engine);
  try {
    await prisma.$connect();
    const tenants = await selectTenants(engine, args.tenant);
    const provider = createEmbeddingProvider(embeddingProviderOptions(config.embeddings));
    const db = new TenantDatabase(prisma, engine);
    const reembedder = new Reembedder(
      { db, embeddings: new EmbeddingsRepository(db), rebuilds: new EmbeddingRebuildsRepository(db), documents: new DocumentsRepository(), provider },
      { all: args.all, textsPerStep: config.embeddings.batchSize * config.embeddings.concurrency, swapTimeoutMs: SWAP_TIMEOUT_MS },
    );
    const which = args.tenant === undefined ? `${tenants.length} tenants` : `tenant ${args.tenant}`;
    console.log(
      `re-embedding with ${describeProvider(config.embeddings, provider)} in ${describeDatabase(config.database)}: ${which}, ` +
        `${args.all ? 'every chunk' : `chunks of another model than ${provider.model}`}`,
    );

    const report = new ReembedReport();
    const results: ReembedResult[] = [];
    const seconds = (): number => (performance.now() - started) / 1000;
    for (const tenant of tenants) {
      try {
        const result = await reembedder.run(tenant, report);
        report.swapped(result);
        results.push(result);
      } catch (error) {
        if (!(error instanceof EmbeddingError || error instanceof ReembedError)) throw error;
        report.failed(tenant, error.message);
        report.finished(results, { model: provider.model, tenants: tenants.length, seconds: seconds(), failed: tenant });
        return 1;
      }
    }
    report.finished(results, { model: provider.model, tenants: tenants.length, seconds: seconds() });
    return 0;
  } finally {
    await prisma.$disconnect();
    await engine.close();
  }
});
