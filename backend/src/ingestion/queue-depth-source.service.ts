import { Injectable, type OnModuleInit } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import { IngestionMetrics } from '../metrics/ingestion-metrics.js';
import { IngestionJobsRepository } from './ingestion-jobs.repository.js';

/**
 * Tells the metrics how to count the queue (they cannot reach it themselves without a module
 * cycle). Every process reports the same, whole queue, its worker on or off: aggregate with max.
 */
@Injectable()
export class QueueDepthSource implements OnModuleInit {
  constructor(
    private readonly config: AppConfigService,
    private readonly jobs: IngestionJobsRepository,
    private readonly metrics: IngestionMetrics,
  ) {}

  onModuleInit(): void {
    const { staleAfterMs } = this.config.get('ingestion');
    this.metrics.setQueueDepthSource(async () => {
      const row = await this.jobs.depth(staleAfterMs);
      return { queued: row.queued, delayed: row.delayed, running: row.running, stalled: row.stalled, oldestQueuedSeconds: row.oldest_queued_seconds };
    });
  }
}
