import type { TenantTransaction } from '../database/tenant-database.js';

/**
 * What the rest of the service may ask of ingestion: queue documents for processing, in the
 * transaction that stores them (so a document never exists without its job), and start on them
 * now rather than at the next poll. The knowledge API depends on this port, never on the worker.
 */
export interface IngestionQueue {
  enqueue(tx: TenantTransaction, tenantId: string, documentIds: readonly string[]): Promise<void>;
  /** Call after the enqueueing transaction committed. */
  wake(): void;
}

export const INGESTION_QUEUE = Symbol('INGESTION_QUEUE');
