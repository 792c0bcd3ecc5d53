import { Prisma } from '../generated/prisma/client.js';

/** Which of a tenant's chunks a search considers, by their knowledge entry's metadata. */
export interface ChunkFilters {
  types?: readonly string[];
  intents?: readonly string[];
  /** Normalised tags (see normaliseTags). */
  tags?: readonly string[];
  /** `any`: the entry carries at least one of `tags`; `all`: every one of them. */
  tagsMatch?: 'any' | 'all';
  knowledgeBaseIds?: readonly string[];
  /** The entry was created at or after this instant. */
  createdAfter?: Date;
  /** The entry was created before this instant. */
  createdBefore?: Date;
}

const nonEmpty = (list: readonly string[] | undefined): list is readonly string[] => list !== undefined && list.length > 0;

/**
 * The filters as SQL conditions on the chunk's knowledge entry, aliased `kb` by the caller, each
 * prefixed with AND (empty when there are none). Values are bound parameters.
 */
export function entryConditions(filters: ChunkFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [];
  if (nonEmpty(filters.types)) conditions.push(Prisma.sql`kb.type IN (${Prisma.join(filters.types)})`);
  if (nonEmpty(filters.intents)) conditions.push(Prisma.sql`kb.intent IN (${Prisma.join(filters.intents)})`);
  if (nonEmpty(filters.tags)) {
    const tags = Prisma.sql`ARRAY[${Prisma.join(filters.tags)}]::text[]`;
    conditions.push(filters.tagsMatch === 'all' ? Prisma.sql`kb.tags @> ${tags}` : Prisma.sql`kb.tags && ${tags}`);
  }
  if (nonEmpty(filters.knowledgeBaseIds)) conditions.push(Prisma.sql`kb.id IN (${Prisma.join(filters.knowledgeBaseIds.map((id) => Prisma.sql`${id}::uuid`))})`);
  if (filters.createdAfter) conditions.push(Prisma.sql`kb.created_at >= ${filters.createdAfter.toISOString()}::timestamptz`);
  if (filters.createdBefore) conditions.push(Prisma.sql`kb.created_at < ${filters.createdBefore.toISOString()}::timestamptz`);
  if (conditions.length === 0) return Prisma.empty;
  return Prisma.sql`AND ${Prisma.join(conditions, ' AND ')}`;
}

export const hasEntryConditions = (filters: ChunkFilters): boolean =>
  nonEmpty(filters.types) ||
  nonEmpty(filters.intents) ||
  nonEmpty(filters.tags) ||
  nonEmpty(filters.knowledgeBaseIds) ||
  filters.createdAfter !== undefined ||
  filters.createdBefore !== undefined;
