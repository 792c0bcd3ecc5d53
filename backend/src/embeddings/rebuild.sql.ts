import { Prisma } from '../generated/prisma/client.js';

/**
 * The SQL of re-embedding over `embeddings` and its staging, `embedding_rebuilds`, for
 * EmbeddingsRepository. A chunk is to re-embed when it carries another model than the target, or
 * always with `all`; its text is staged when `embedding_rebuilds` holds a vector of the target
 * model for its content hash.
 */

/** Which chunks a re-embedding replaces: those of another model than `model`, or every one. */
export interface RebuildScope {
  tenantId: string;
  model: string;
  all: boolean;
}

const toRebuild = ({ model, all }: RebuildScope): Prisma.Sql => (all ? Prisma.empty : Prisma.sql`AND e.model <> ${model}`);

const staged = ({ model }: RebuildScope): Prisma.Sql => Prisma.sql`
  EXISTS (SELECT 1 FROM embedding_rebuilds r WHERE r.tenant_id = e.tenant_id AND r.model = ${model} AND r.content_hash = e.content_hash)`;

/** The tenant's chunks, those to re-embed, and those of them whose text is staged already. */
export const rebuildPlanSql = (scope: RebuildScope): Prisma.Sql => Prisma.sql`
  SELECT count(*)::int AS chunks,
         count(*) FILTER (WHERE ${scope.all ? Prisma.sql`true` : Prisma.sql`e.model <> ${scope.model}`})::int AS to_rebuild,
         count(*) FILTER (WHERE ${scope.all ? Prisma.sql`true` : Prisma.sql`e.model <> ${scope.model}`} AND ${staged(scope)})::int AS staged
    FROM embeddings e
   WHERE e.tenant_id = ${scope.tenantId}::uuid`;

/**
 * Up to `limit` distinct texts of chunks to re-embed that are not staged yet, after `after` in
 * content hash order (a keyset walk of the (tenant_id, content_hash) index), each with the number
 * of chunks that carry it.
 */
export const textsToRebuildSql = (scope: RebuildScope, after: string, limit: number): Prisma.Sql => Prisma.sql`
  SELECT e.content_hash::text AS content_hash, min(e.content) AS content, count(*)::int AS chunks
    FROM embeddings e
   WHERE e.tenant_id = ${scope.tenantId}::uuid AND e.content_hash > ${after}::char(64)
     ${toRebuild(scope)}
     AND NOT ${staged(scope)}
   GROUP BY e.content_hash
   ORDER BY e.content_hash
   LIMIT ${limit}`;

/**
 * Gives every chunk whose text is staged the staged vector and model. A chunk that already holds
 * exactly that vector (a chunk stored with the target model meanwhile, or a second round) is left
 * alone: rewriting it would only add index entries.
 */
export const adoptRebuiltSql = ({ tenantId, model }: RebuildScope): Prisma.Sql => Prisma.sql`
  UPDATE embeddings e
     SET embedding_vector = r.embedding_vector, model = r.model
    FROM embedding_rebuilds r
   WHERE e.tenant_id = ${tenantId}::uuid AND r.tenant_id = ${tenantId}::uuid AND r.model = ${model}
     AND r.content_hash = e.content_hash
     AND (e.model <> r.model OR e.embedding_vector IS DISTINCT FROM r.embedding_vector)`;
