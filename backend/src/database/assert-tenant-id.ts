const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/**
 * Guards every tenant-owned query. An ORM drops `undefined` from a WHERE clause, which would turn a
 * forgotten tenant id into a query over every tenant; this makes that a loud programming error.
 */
export function assertTenantId(tenantId: unknown): asserts tenantId is string {
  if (typeof tenantId !== 'string' || tenantId.length === 0) {
    throw new Error('Tenant id is required for tenant-owned data');
  }
  if (!isUuid(tenantId)) {
    throw new Error('Tenant id must be a UUID');
  }
}
