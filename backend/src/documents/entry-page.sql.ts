import { Prisma } from '../generated/prisma/client.js';
import type { KnowledgeEntryRow, KnowledgeFilters } from './document-rows.js';

/** One row of `entryPageSql`: the total, and an entry of the page unless the page is empty. */
export interface EntryPageRow {
  total: number;
  id: string | null;
  title: string;
  type: string;
  intent: string;
  tags: string[];
  status: string;
  created_at: Date;
  updated_at: Date;
  document_count: number;
  chunk_count: number;
}

/** The entries of the tenant that the filters select (alias `kb`); the tenant is named here as well as by RLS. */
function entryFilterSql(tenantId: string, filters: Omit<KnowledgeFilters, 'limit' | 'offset'>): Prisma.Sql {
  const conditions = [Prisma.sql`kb.tenant_id = ${tenantId}::uuid`];
  if (filters.type) conditions.push(Prisma.sql`kb.type = ${filters.type}`);
  if (filters.intent) conditions.push(Prisma.sql`kb.intent = ${filters.intent}`);
  if (filters.status) conditions.push(Prisma.sql`kb.status = ${filters.status}`);
  // per row either way: under RLS no index can serve @> (see the list_indexes migration)
  if (filters.tag) conditions.push(Prisma.sql`kb.tags @> ARRAY[${filters.tag}]::text[]`);
  // What ILIKE '%q%' does in a UTF-8 database (lower() of both sides, then a match), but lowering
  // q once instead of on every row: half the cost of a filter no index can serve under RLS
  if (filters.q) conditions.push(Prisma.sql`strpos(lower(kb.title), lower(${filters.q})) > 0`);
  return Prisma.join(conditions, ' AND ');
}

/**
 * A page of entries, newest first, with each entry's document and chunk counts and the exact
 * number of matching entries, in one statement (so one snapshot, and one round trip).
 *
 * The page is cut before anything is read for it: the ids come from a walk of the
 * (tenant_id, created_at DESC, id DESC) index (or the status one) that stops after offset + limit
 * entries, index-only where the filters allow, so a deep offset skips index entries, not rows;
 * then only the page's entries are fetched, by primary key, and their documents counted through
 * documents (tenant_id, knowledge_base_id). Prisma's `include: { _count }` aggregated all of the
 * tenant's documents and joined that to every entry before sorting and cutting; on a table not
 * analyzed yet the planner made it a nested loop of every entry against every document group.
 * The total is still a count over every match: that is what `total_count` promises.
 *
 * The page's entries are joined on their ids, not looked up with `id = ANY(ARRAY(...))`: with no
 * statistics (PGlite runs no autovacuum) the planner answered that from the created_at index,
 * reading the tenant's whole range of it.
 */
export function entryPageSql(tenantId: string, filters: KnowledgeFilters): Prisma.Sql {
  const where = entryFilterSql(tenantId, filters);
  return Prisma.sql`
    SELECT total.n AS total, page.*
      FROM (SELECT count(*)::int AS n FROM knowledge_bases kb WHERE ${where}) AS total
      LEFT JOIN (
        SELECT kb.id, kb.title, kb.type, kb.intent, kb.tags, kb.status, kb.created_at, kb.updated_at,
               docs.document_count, docs.chunk_count
          FROM (SELECT kb.tenant_id, kb.id FROM knowledge_bases kb
                 WHERE ${where}
                 ORDER BY kb.created_at DESC, kb.id DESC
                 LIMIT ${filters.limit} OFFSET ${filters.offset}) AS cut
          JOIN knowledge_bases kb ON kb.tenant_id = cut.tenant_id AND kb.id = cut.id
         CROSS JOIN LATERAL (
               SELECT count(*)::int AS document_count, COALESCE(sum(d.chunk_count), 0)::int AS chunk_count
                 FROM documents d
                WHERE d.tenant_id = ${tenantId}::uuid AND d.knowledge_base_id = kb.id) AS docs
      ) AS page ON true
     ORDER BY page.created_at DESC, page.id DESC`;
}

/** The entries of a page (none when the page is past the end) and the total. */
export function toEntryPage(rows: EntryPageRow[]): { rows: KnowledgeEntryRow[]; total: number } {
  const total = rows[0]?.total ?? 0;
  const entries = rows.flatMap((row) =>
    row.id === null
      ? []
      : [
          {
            id: row.id,
            title: row.title,
            type: row.type,
            intent: row.intent,
            tags: row.tags,
            status: row.status,
            createdAt: row.created_at,
            updatedAt: row.updated_at,
            documentCount: row.document_count,
            chunkCount: row.chunk_count,
          },
        ],
  );
  return { rows: entries, total };
}
