import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { hostname } from 'node:os';

import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';

import { warmUpTokenizer } from '../chunking/tokenizer.js';
import { AppConfigService } from '../config/app-config.service.js';
import { DATABASE_ENGINE, type DatabaseEngine } from '../database/database-engine.js';
import { asJob, outsideRequest } from '../common/logging/request-context.js';
import { IngestionMetrics, type JobOutcome } from '../metrics/ingestion-metrics.js';
import { DocumentProcessor } from './document-processor.service.js';
import type { BatchTicket } from './embedding-batcher.js';
import { gaveUpMessage, internalDetail, publicReason, retryingMessage } from './document-error.js';
import { LostJobError, PermanentIngestionError, TransientIngestionError, type ClaimedJob } from './ingestion-job.js';
import { IngestionJobsRepository, JOBS_CHANNEL } from './ingestion-jobs.repository.js';
import { retryDelayMs } from './ingestion-limits.js';
import { IngestionStore } from './ingestion-store.service.js';

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Runs ingestion jobs from the database queue with bounded concurrency. Each running job
 * heartbeats; a job whose worker died (crash, kill -9) is claimed again once its heartbeat is
 * stale, and since a document's results are written in one transaction that also removes its
 * job, a resumed job starts clean: no duplicate or partial chunks.
 */
@Injectable()
export class IngestionWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('IngestionWorker');
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  private readonly running = new Map<string, { abort: AbortController; done: Promise<void> }>();
  private stopped = true;
  private wakeTimer: NodeJS.Timeout | null = null;
  private polling = false;
  private pollAgain = false;
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly config: AppConfigService,
    private readonly queue: IngestionJobsRepository,
    private readonly store: IngestionStore,
    private readonly processor: DocumentProcessor,
    private readonly metrics: IngestionMetrics,
    @Inject(DATABASE_ENGINE) private readonly engine: DatabaseEngine,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.get('ingestion').workerEnabled) {
      this.logger.warn('ingestion worker disabled (INGESTION_WORKER=false): documents stay queued');
      return;
    }
    this.stopped = false;
    warmUpTokenizer(); // builds the rank table now rather than inside the first job
    // jobs queued by other processes (APP_MODE=api) start at once rather than at the next poll
    try {
      this.unlisten = await this.engine.listen(JOBS_CHANNEL, () => this.wake());
    } catch (error) {
      this.logger.warn({ err: error }, `listening for new jobs failed; polling every ${this.config.get('ingestion').pollMs} ms only`);
    }
    this.logger.log(`ingestion worker ${this.workerId} started`);
    this.wake();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.unlisten?.();
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    // Abandon in-flight jobs: they are not written, and another start picks them up again.
    for (const job of this.running.values()) job.abort.abort(new Error('shutting down'));
    await Promise.allSettled([...this.running.values()].map((j) => j.done));
  }

  /**
   * Look for work now (called after enqueueing, so new documents start without waiting for a
   * poll). The loop runs outside the caller's context: the request that woke it has long ended
   * when the loop's later polls and jobs write their log lines.
   */
  wake(): void {
    if (this.stopped) return;
    if (this.polling) {
      this.pollAgain = true;
      return;
    }
    if (this.wakeTimer) clearTimeout(this.wakeTimer);
    this.wakeTimer = null;
    outsideRequest(() => void this.poll());
  }

  private async poll(): Promise<void> {
    this.polling = true;
    const { concurrency, tenantConcurrency, staleAfterMs, pollMs } = this.config.get('ingestion');
    let nextIn = pollMs;
    try {
      const free = concurrency - this.running.size;
      const jobs = await this.queue.claim(this.workerId, free, staleAfterMs, tenantConcurrency);
      for (const job of jobs) this.start(job);
      const due = await this.queue.nextDueInMs();
      if (due !== null) nextIn = Math.min(pollMs, Math.max(50, due));
    } catch (error) {
      if (!this.stopped) this.logger.error({ err: error }, 'claiming ingestion jobs failed');
    } finally {
      this.polling = false;
    }
    if (this.stopped) return;
    if (this.pollAgain) {
      this.pollAgain = false;
      return this.wake();
    }
    this.wakeTimer = setTimeout(() => this.wake(), nextIn);
    this.wakeTimer.unref();
  }

  private start(job: ClaimedJob): void {
    const abort = new AbortController();
    // a big document waits on many embedding requests and page spans at once, each listening for the abort
    setMaxListeners(0, abort.signal);
    // joined now, so the documents of one claim share embedding requests however their starts interleave
    const ticket = this.processor.joinBatch();
    const done = asJob({ jobId: job.id, documentId: job.documentId }, () => this.run(job, ticket, abort))
      .finally(() => {
        ticket.leave();
        this.running.delete(job.id);
        this.wake();
      });
    this.running.set(job.id, { abort, done });
  }

  private async run(job: ClaimedJob, ticket: BatchTicket, abort: AbortController): Promise<void> {
    const { jobTimeoutMs } = this.config.get('ingestion');
    const timeout = setTimeout(() => abort.abort(new TransientIngestionError(`Processing took longer than ${Math.round(jobTimeoutMs / 1000)} s`)), jobTimeoutMs);
    const stopHeartbeat = this.heartbeat(job, abort);
    const started = Date.now();
    let loaded = false;
    let outcome: JobOutcome = 'removed';
    try {
      const doc = await this.store.start(job.tenantId, job.documentId);
      if (!doc) {
        // removed while queued: the cascade removed the job too, nothing to do
        return;
      }
      loaded = true;
      if (job.attempts > job.maxAttempts) {
        throw new PermanentIngestionError(gaveUpMessage('Processing did not finish', job.maxAttempts));
      }
      const result = await this.processor.process(job, this.workerId, doc, ticket, abort.signal);
      if (abort.signal.aborted) throw abort.signal.reason;
      await this.store.complete(job.tenantId, job, this.workerId, result.ready);
      outcome = 'ready';
      const { timings } = result;
      this.metrics.observeStages({
        fetchMs: timings.fetch_ms,
        extractMs: timings.extract_ms,
        embedWaitMs: timings.embed_wait_ms,
        storeMs: timings.store_ms,
        firstChunkStoredMs: timings.first_chunk_stored_ms,
      });
      this.logger.log({ document_id: job.documentId, chunks: result.ready.chunkCount, ms: Date.now() - started, ...timings }, 'document ready');
    } catch (error) {
      outcome = await this.handleFailure(job, loaded, abort, error);
    } finally {
      clearTimeout(timeout);
      stopHeartbeat();
      this.metrics.observeJob(outcome, (Date.now() - started) / 1000);
    }
  }

  /**
   * Proves every `heartbeatMs` that the job's worker is alive; aborts the job once another worker
   * holds it. One heartbeat at a time: a slow one is not joined by the next (each would take a
   * pooled connection), and one that fails, or waits too long for a lock, is simply tried again.
   */
  private heartbeat(job: ClaimedJob, abort: AbortController): () => void {
    let beating = false;
    const timer = setInterval(() => {
      if (beating) return;
      beating = true;
      this.queue
        .heartbeat(job, this.workerId)
        .then(
          (held) => {
            if (held === 'lost') abort.abort(new LostJobError(job.id));
          },
          (error: unknown) => this.logger.warn(`heartbeat failed: ${errorMessage(error)}`),
        )
        .finally(() => (beating = false));
    }, this.config.get('ingestion').heartbeatMs);
    return () => clearInterval(timer);
  }

  /** `loaded`: the document was read and shown as processing, so a transient failure can be retried. */
  private async handleFailure(job: ClaimedJob, loaded: boolean, abort: AbortController, error: unknown): Promise<JobOutcome> {
    if (error instanceof LostJobError || abort.signal.reason instanceof LostJobError) {
      this.logger.warn(`job ${job.id} was taken over by another worker; dropping this attempt`);
      return 'lost';
    }
    if (this.stopped) {
      this.logger.warn(`job ${job.id} interrupted by shutdown; it will be resumed`);
      return 'interrupted';
    }
    const cause: unknown = abort.signal.aborted ? abort.signal.reason : error;
    // the person reads `reason`; the log (with the document's id) gets everything
    const reason = publicReason(cause);
    const detail = internalDetail(cause);
    const err = cause instanceof Error ? cause : undefined;
    try {
      if (cause instanceof PermanentIngestionError || !loaded) {
        this.logger.warn({ document_id: job.documentId, err }, `document failed: ${detail}`);
        await this.store.fail(job.tenantId, job, this.workerId, reason);
        return 'failed';
      }
      if (job.attempts >= job.maxAttempts) {
        this.logger.warn({ document_id: job.documentId, err }, `document failed after ${job.attempts} attempts: ${detail}`);
        await this.store.fail(job.tenantId, job, this.workerId, gaveUpMessage(reason, job.attempts));
        return 'failed';
      }
      const delay = retryDelayMs(job.attempts);
      this.logger.warn({ document_id: job.documentId, retry_in_ms: delay, err }, `attempt ${job.attempts} failed: ${detail}`);
      await this.store.markRetrying(job.tenantId, job.documentId, retryingMessage(reason, job.attempts, job.maxAttempts));
      await this.queue.reschedule(job, this.workerId, delay, detail);
      return 'retrying';
    } catch (secondary) {
      this.logger.error({ err: secondary }, `recording the failure of job ${job.id} failed; it will be retried when its heartbeat goes stale`);
      return 'retrying';
    }
  }
}
