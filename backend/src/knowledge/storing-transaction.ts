import type { TenantTransactionOptions } from '../database/tenant-database.js';
import type { NewSource } from '../documents/new-source.js';

const BASE_TIMEOUT_MS = 15_000;
const PER_MEGABYTE_MS = 250;

/**
 * The transaction storing sources may take as long as their bytes need: the usual 15 s and a
 * quarter second per MB. Bytes reach the driver as base64 through Prisma: 10 files of 24 MB took
 * 10-30 s to store here, and failed 500 when the transaction was allowed 15 s whatever its size.
 */
export const storing = (sources: readonly NewSource[]): TenantTransactionOptions => ({
  timeout: BASE_TIMEOUT_MS + Math.ceil(sources.reduce((sum, s) => sum + s.byteSize, 0) / (1024 * 1024)) * PER_MEGABYTE_MS,
});
