import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import type { TenantTransaction } from '../database/tenant-database.js';
import { assertTenantId } from '../database/assert-tenant-id.js';
import { LostJobError, type ClaimedJob } from './ingestion-job.js';

/** The role whose row-level-security policy sees every tenant's jobs (migration 20261203120000_queue_worker_role). */
export const QUEUE_WORKER_ROLE = 'bb_queue_worker';

/** The channel a transaction that queues jobs notifies at commit, so workers in other processes start at once. */
export const JOBS_CHANNEL = 'bb_ingestion_jobs';

/** The queue's jobs by state (see `depth`). */
export interface QueueDepthRow {
  queued: number;
  delayed: number;
  running: number;
  stalled: number;
  oldest_queued_seconds: number;
}

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
 * Claiming is the one cross-tenant operation: it runs in a transaction that drops to the
 * `bb_queue_worker` role, which the table's row-level-security policies admit to every tenant's
 * jobs (the tenant role is not a member of it), and takes rows with FOR UPDATE SKIP LOCKED so
 * several workers (or processes) never take the same job.
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
    // delivered when the transaction commits (never for one rolled back), once however many were queued
    if (documentIds.length > 0) await tx.$executeRawUnsafe(`NOTIFY ${JOBS_CHANNEL}`);
  }

  /** Throws `LostJobError` unless `workerId` still holds the job (another worker took it over when this one looked dead). */
  async assertHeld(tx: TenantTransaction, tenantId: string, job: ClaimedJob, workerId: string): Promise<void> {
    assertTenantId(tenantId);
    const rows = await tx.$queryRaw<{ held: boolean }[]>`
      SELECT true AS held FROM ingestion_jobs
       WHERE tenant_id = ${tenantId}::uuid AND id = ${job.id}::uuid AND locked_by = ${workerId} AND status = 'running'`;
    if (rows.length === 0) throw new LostJobError(job.id);
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
   * (it crashed or was killed), and marks them running for `workerId`. Fair between tenants: a
   * tenant's k-th waiting job ranks by k plus the jobs it already has running (in any process),
   * so one tenant's backlog of thousands does not delay another's first upload, and no tenant
   * holds more than `perTenant` jobs at once.
   */
  async claim(workerId: string, limit: number, staleAfterMs: number, perTenant = limit): Promise<ClaimedJob[]> {
    if (limit <= 0) return [];
    const stale = Prisma.sql`now() - make_interval(secs => ${staleAfterMs / 1000})`;
    const claimable = Prisma.sql`((status = 'queued' AND run_after <= now()) OR (status = 'running' AND heartbeat_at < ${stale}))`;
    const rows = await this.asWorker((tx) =>
      tx.$queryRaw<ClaimedRow[]>`
        WITH live AS (
          SELECT tenant_id, count(*)::int AS running FROM ingestion_jobs
           WHERE status = 'running' AND heartbeat_at >= ${stale}
           GROUP BY tenant_id
        ), waiting AS (
          SELECT id, tenant_id, run_after, created_at,
                 row_number() OVER (PARTITION BY tenant_id ORDER BY run_after, created_at) AS nth
            FROM ingestion_jobs WHERE ${claimable}
        ), picked AS (
          SELECT w.id FROM waiting w LEFT JOIN live l ON l.tenant_id = w.tenant_id
           WHERE coalesce(l.running, 0) + w.nth <= ${perTenant}
           ORDER BY coalesce(l.running, 0) + w.nth, w.run_after, w.created_at
           LIMIT ${limit}
        )
        UPDATE ingestion_jobs AS j
           SET status = 'running', locked_by = ${workerId}, locked_at = now(), heartbeat_at = now(),
               attempts = j.attempts + 1, updated_at = now()
         WHERE j.id IN (SELECT id FROM ingestion_jobs WHERE id IN (SELECT id FROM picked) AND ${claimable} FOR UPDATE SKIP LOCKED)
        RETURNING j.id::text, j.tenant_id::text, j.document_id::text, j.attempts, j.max_attempts`,
    );
    return rows.map((r) => ({ id: r.id, tenantId: r.tenant_id, documentId: r.document_id, attempts: r.attempts, maxAttempts: r.max_attempts }));
  }

  /**
   * Proves the worker is alive: `held` when recorded, `lost` when the job is no longer this
   * worker's (deleted, or reclaimed by another), `busy` when its row is locked right now (the
   * worker's own last transaction is finishing it). Never waits for a lock, so heartbeats cannot
   * pile up behind a long transaction, each holding a pooled connection.
   */
  async heartbeat(job: ClaimedJob, workerId: string): Promise<'held' | 'lost' | 'busy'> {
    return this.asWorker(async (tx) => {
      const beat = await tx.$executeRaw`
        UPDATE ingestion_jobs SET heartbeat_at = now()
         WHERE id IN (SELECT id FROM ingestion_jobs WHERE id = ${job.id}::uuid FOR UPDATE SKIP LOCKED)
           AND locked_by = ${workerId} AND status = 'running'`;
      if (beat > 0) return 'held';
      const rows = await tx.$queryRaw<{ mine: boolean }[]>`
        SELECT (locked_by = ${workerId} AND status = 'running') AS mine FROM ingestion_jobs WHERE id = ${job.id}::uuid`;
      return rows[0]?.mine ? 'busy' : 'lost';
    });
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

  /**
   * The whole queue by state, for monitoring: one scan of a table that holds only unfinished jobs
   * (a job is deleted with its document's last transaction), so it stays small unless a backlog
   * builds, which is what it is there to show.
   */
  async depth(staleAfterMs: number): Promise<QueueDepthRow> {
    const stale = Prisma.sql`now() - make_interval(secs => ${staleAfterMs / 1000})`;
    const rows = await this.asWorker((tx) =>
      tx.$queryRaw<QueueDepthRow[]>`
        SELECT count(*) FILTER (WHERE status = 'queued' AND run_after <= now())::int AS queued,
               count(*) FILTER (WHERE status = 'queued' AND run_after > now())::int AS delayed,
               count(*) FILTER (WHERE status = 'running' AND heartbeat_at >= ${stale})::int AS running,
               count(*) FILTER (WHERE status = 'running' AND (heartbeat_at < ${stale} OR heartbeat_at IS NULL))::int AS stalled,
               coalesce(EXTRACT(EPOCH FROM now() - min(run_after) FILTER (WHERE status = 'queued' AND run_after <= now())), 0)::float8
                 AS oldest_queued_seconds
          FROM ingestion_jobs`,
    );
    return rows[0] ?? { queued: 0, delayed: 0, running: 0, stalled: 0, oldest_queued_seconds: 0 };
  }

  /** A transaction as the queue worker role (SET LOCAL ROLE, reset at commit or rollback). */
  private asWorker<T>(fn: (tx: TenantTransaction) => Promise<T>): Promise<T> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT set_config('role', ${QUEUE_WORKER_ROLE}, true)`;
      return fn(tx);
    });
  }
}
