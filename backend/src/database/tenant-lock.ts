import { Prisma } from '../generated/prisma/client.js';
import { assertTenantId } from './assert-tenant-id.js';
import type { TenantTransaction } from './tenant-database.js';

/**
 * Takes a transaction-level advisory lock on (`purpose`, tenant), held until the transaction ends:
 * transactions that check a per-tenant total and then commit take turns. Under READ COMMITTED the
 * next statement sees everything committed before the lock was granted.
 */
export async function lockTenant(tx: TenantTransaction, tenantId: string, purpose: string): Promise<void> {
  assertTenantId(tenantId);
  await tx.$queryRaw(Prisma.sql`SELECT pg_advisory_xact_lock(hashtextextended(${`${purpose}:${tenantId}`}, 0))::text AS locked`);
}
