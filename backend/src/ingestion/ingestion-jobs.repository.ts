import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { TenantTransaction } from '../database/tenant-database.js';
import { assertTenantId } from '../database/assert-tenant-id.js';
import { LostJobError, type ClaimedJob } from './ingestion-job.js';

interface ClaimedRow {
  id: string;
  tenant_id: string;
  document_id: string;
  attempts: number;
  max_attempts: number;
}

/**
 * The one door to the durable ingestion queue (`ingestion_jobs`). Enqueueing happens inside the
 * tenant transaction that creates the document, so a document never exists without its job.
 * Claiming is the one cross-tenant operation: it runs in a transaction marked `app.queue_worker`,
 * which the table's row-level-security policy admits, and takes rows with FOR UPDATE SKIP LOCKED
 * so several workers (or processes) never take the same job.
 */
@Injectable()
export class IngestionJobsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Adds (or re-arms) the jobs for documents, in the caller's tenant transaction. */
  async enqueue(tx: TenantTransaction, tenantId: string, documentIds: readonly string[], maxAttempts: number): Promise<void> {
    assertTenantId(tenantId);
    for (const documentId of documentIds) {
      await tx.$executeRaw`
        INSERT INTO ingestion_jobs (tenant_id, document_id, max_attempts)
        VALUES (${tenantId}::uuid, ${documentId}::uuid, ${maxAttempts})
        ON CONFLICT (tenant_id, document_id) DO UPDATE
          SET status = 'queued', attempts = 0, run_after = now(), locked_by = NULL, locked_at = NULL,
              heartbeat_at = NULL, last_error = NULL, max_attempts = EXCLUDED.max_attempts, updated_at = now()`;
    }
  }

  /** Removes a finished job, in the caller's tenant transaction; throws `LostJobError` when `workerId` no longer holds it. */
  async release(tx: TenantTransaction, tenantId: string, job: ClaimedJob, workerId: string): Promise<void> {
    assertTenantId(tenantId);
    const released = await tx.$executeRaw`
      DELETE FROM ingestion_jobs
       WHERE tenant_id = ${tenantId}::uuid AND id = ${job.id}::uuid AND locked_by = ${workerId} AND status = 'running'`;
    if (released === 0) throw new LostJobError(job.id);
  }

  /**
   * Takes up to `limit` jobs that are due, plus running jobs whose worker stopped heartbeating
   * (it crashed or was killed), and marks them running for `workerId`.
   */
  async claim(workerId: string, limit: number, staleAfterMs: number): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const rows = await this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.queue_worker', 'on', true)`;
      return tx.$queryRaw<ClaimedRow[]>`
        UPDATE ingestion_jobs AS j
           SET status = 'running', locked_by = ${workerId}, locked_at = now(), heartbeat_at = now(),
               attempts = j.attempts + 1, updated_at = now()
         WHERE j.id IN (
               SELECT id FROM ingestion_jobs
                WHERE (status = 'queued' AND run_after <= now())
                   OR (status = 'running' AND heartbeat_at < now() - make_interval(secs => ${staleAfterMs / 1000}))
                ORDER BY run_after, created_at
                LIMIT ${limit}
                FOR UPDATE SKIP LOCKED)
        RETURNING j.id::text, j.tenant_id::text, j.document_id::text, j.attempts, j.max_attempts`;
    });
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, documentId: r.document_id, attempts: r.attempts, maxAttempts: r.max_attempts }));
  }

  /** Proves the worker is alive; false when the job is no longer ours (deleted or reclaimed). */
  async heartbeat(job: ClaimedJob, workerId: string): Promise<boolean> {
    const n = await this.asWorker((tx) =>
      tx.$executeRaw`UPDATE ingestion_jobs SET heartbeat_at = now() WHERE id = ${job.id}::uuid AND locked_by = ${workerId} AND status = 'running'`,
    );
    return n > 0;
  }

  /** Puts the job back in the queue after a transient failure, not before `delayMs`. */
  async reschedule(job: ClaimedJob, workerId: string, delayMs: number, error: string): Promise<void> {
    await this.asWorker((tx) =>
      tx.$executeRaw`
        UPDATE ingestion_jobs
           SET status = 'queued', run_after = now() + make_interval(secs => ${delayMs / 1000}), locked_by = NULL,
               locked_at = NULL, heartbeat_at = NULL, last_error = ${error}, updated_at = now()
         WHERE id = ${job.id}::uuid AND locked_by = ${workerId}`,
    );
  }

  /** The earliest time a queued job becomes due, to sleep exactly until then. */
  async nextDueInMs(): Promise<number | null> {
    const rows = await this.asWorker((tx) =>
      tx.$queryRaw<{ ms: number | null }[]>`
        SELECT (EXTRACT(EPOCH FROM (min(run_after) - now())) * 1000)::float8 AS ms FROM ingestion_jobs WHERE status = 'queued'`,
    );
    const ms = rows[0]?.ms;
    return ms === null || ms === undefined ? null : Math.max(0, Number(ms));
  }

  private asWorker<T>(fn: (tx: TenantTransaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('app.queue_worker', 'on', true)`;
      return fn(tx);
    });
  }
}
