import { TenantDatabase } from '../../src/database/tenant-database.js';
import { TenantsService } from '../../src/tenants/tenants.service.js';
import { jsonInit, META, waitForSettled, type EntryJson } from '../support/knowledge-client.js';
import type { TestApp } from '../support/test-app.js';

export interface SearchJson {
  results: { content: string; score: number }[];
  embedding_model: string;
}

/** A text note through the API, waited for until ready. */
export async function addNote(t: TestApp, tenant: string, title: string, text: string): Promise<EntryJson> {
  const res = await t.get(`/routes/knowledge/${tenant}`, jsonInit('POST', { ...META, title, text }));
  if (res.status !== 202) throw new Error(`POST entry answered ${res.status}: ${await res.text()}`);
  const entry = await waitForSettled(t, tenant, ((await res.json()) as EntryJson).id);
  if (entry.status !== 'ready') throw new Error(`entry ${title} ended ${entry.status}`);
  return entry;
}

export async function search(t: TestApp, tenant: string, query: string, mode = 'semantic'): Promise<{ status: number; body: SearchJson }> {
  const res = await t.get(`/routes/knowledge/${tenant}/search`, jsonInit('POST', { query, mode, top_k: 3 }));
  return { status: res.status, body: (await res.json()) as SearchJson };
}

export const tenantIdOf = async (t: TestApp, slug: string): Promise<string> => (await t.app.get(TenantsService).provision(slug, null)).id;

/** What a tenant holds, read in its own transaction (row-level security is forced, even for the owner). */
export interface TenantVectors {
  /** Chunks by model. */
  models: Record<string, number>;
  /** Every chunk: id, model and a digest of its vector, by id. */
  chunks: string[];
  /** Documents by embedding model. */
  documents: Record<string, number>;
  staged: number;
}

export async function readTenant(t: TestApp, tenantId: string): Promise<TenantVectors> {
  return t.app.get(TenantDatabase).run(tenantId, async (tx) => {
    const chunks = await tx.$queryRaw<{ row: string; model: string }[]>`
      SELECT id::text || ' ' || model || ' ' || md5(embedding_vector::text) AS row, model FROM embeddings WHERE tenant_id = ${tenantId}::uuid ORDER BY id`;
    const documents = await tx.$queryRaw<{ model: string; n: number }[]>`
      SELECT embedding_model AS model, count(*)::int AS n FROM documents WHERE tenant_id = ${tenantId}::uuid AND embedding_model IS NOT NULL GROUP BY 1`;
    const [staged] = await tx.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM embedding_rebuilds WHERE tenant_id = ${tenantId}::uuid`;
    const models: Record<string, number> = {};
    for (const chunk of chunks) models[chunk.model] = (models[chunk.model] ?? 0) + 1;
    return { models, chunks: chunks.map((c) => c.row), documents: Object.fromEntries(documents.map((d) => [d.model, d.n])), staged: staged?.n ?? 0 };
  });
}
