import { Inject, Injectable, Logger } from '@nestjs/common';
import { Gauge, Histogram, type Registry } from 'prom-client';

import { METRICS_REGISTRY } from './metrics-registry.js';

/** The whole queue (every tenant, every process), counted at a scrape. */
export interface QueueDepth {
  /** Due now, waiting for a worker. */
  queued: number;
  /** Waiting out a retry's backoff. */
  delayed: number;
  /** Claimed by a worker that is heartbeating. */
  running: number;
  /** Claimed by a worker whose heartbeat went stale (it died): claimed again soon. */
  stalled: number;
  /** How long the oldest due job has been due, seconds (0 when none is). */
  oldestQueuedSeconds: number;
}

/** Where an ingestion job's time went, once its document is ready (the ingestion worker's `timings`). */
export interface StageTimings {
  fetchMs: number;
  extractMs: number;
  embedWaitMs: number;
  storeMs: number;
  firstChunkStoredMs: number;
}

/** How a job attempt ended. */
export type JobOutcome = 'ready' | 'failed' | 'retrying' | 'lost' | 'interrupted' | 'removed';

/** Seconds: a note takes tens of milliseconds, a 600-page book tens of seconds. */
const JOB_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];
const QUEUE_STATES = ['queued', 'delayed', 'running', 'stalled'] as const;

/**
 * The ingestion queue's depth (read from the database at each scrape, through the source the
 * ingestion module registers: this module cannot reach the queue itself without a cycle) and
 * how long jobs and their stages take.
 */
@Injectable()
export class IngestionMetrics {
  private readonly logger = new Logger('IngestionMetrics');
  private readonly jobs: Histogram<'outcome'>;
  private readonly stages: Histogram<'stage'>;
  private source: (() => Promise<QueueDepth>) | null = null;
  /** One query answers both queue gauges of a scrape. */
  private reading: Promise<QueueDepth | null> | null = null;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.jobs = new Histogram({
      name: 'bb_ingestion_job_duration_seconds',
      help: 'Ingestion job attempts, from claim to outcome: ready, failed, retrying (a transient failure), lost (taken over), interrupted (shutdown), removed (deleted while queued)',
      labelNames: ['outcome'],
      buckets: JOB_BUCKETS,
      registers: [registry],
    });
    this.stages = new Histogram({
      name: 'bb_ingestion_stage_duration_seconds',
      help: 'Time per stage of a document that became ready: fetch (read the source, or download the URL), extract (parse and chunk, part by part), embed_wait (storing waited for vectors), store (storing chunks), first_chunk (until the first chunks were stored). Parts overlap: stages do not add up to the job',
      labelNames: ['stage'],
      buckets: JOB_BUCKETS,
      registers: [registry],
    });
    const depth = this.depth.bind(this);
    new Gauge({
      name: 'bb_ingestion_queue_jobs',
      help: 'Jobs in the ingestion queue (all tenants, all processes), by state: queued (due), delayed (retry backoff), running, stalled (worker stopped heartbeating)',
      labelNames: ['state'],
      registers: [registry],
      async collect() {
        this.reset();
        const now = await depth();
        if (now) for (const state of QUEUE_STATES) this.set({ state }, now[state]);
      },
    });
    new Gauge({
      name: 'bb_ingestion_queue_oldest_queued_seconds',
      help: 'How long the oldest due job has waited for a worker (0: none waiting)',
      registers: [registry],
      async collect() {
        this.reset();
        const now = await depth();
        if (now) this.set(now.oldestQueuedSeconds);
      },
    });
  }

  /** Called once by the ingestion module with how to count the queue. */
  setQueueDepthSource(source: () => Promise<QueueDepth>): void {
    this.source = source;
  }

  observeJob(outcome: JobOutcome, seconds: number): void {
    this.jobs.observe({ outcome }, seconds);
  }

  observeStages(timings: StageTimings): void {
    this.stages.observe({ stage: 'fetch' }, timings.fetchMs / 1000);
    this.stages.observe({ stage: 'extract' }, timings.extractMs / 1000);
    this.stages.observe({ stage: 'embed_wait' }, timings.embedWaitMs / 1000);
    this.stages.observe({ stage: 'store' }, timings.storeMs / 1000);
    this.stages.observe({ stage: 'first_chunk' }, timings.firstChunkStoredMs / 1000);
  }

  /** The queue's depth, or null (no series in the scrape) when it cannot be read: a scrape never fails for it. */
  private depth(): Promise<QueueDepth | null> {
    const source = this.source;
    if (!source) return Promise.resolve(null);
    this.reading ??= source()
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'counting the ingestion queue for /metrics failed');
        return null;
      })
      .finally(() => {
        this.reading = null;
      });
    return this.reading;
  }
}
