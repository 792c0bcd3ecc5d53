import { Injectable } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import type { TenantTransaction } from '../database/tenant-database.js';
import { IngestionJobsRepository } from './ingestion-jobs.repository.js';
import type { IngestionQueue } from './ingestion-queue.port.js';
import { IngestionWorker } from './ingestion-worker.service.js';

/** The `IngestionQueue` port: jobs with the configured attempt limit, and a nudge to the worker. */
@Injectable()
export class IngestionQueueService implements IngestionQueue {
  constructor(
    private readonly config: AppConfigService,
    private readonly jobs: IngestionJobsRepository,
    private readonly worker: IngestionWorker,
  ) {}

  enqueue(tx: TenantTransaction, tenantId: string, documentIds: readonly string[]): Promise<void> {
    return this.jobs.enqueue(tx, tenantId, documentIds, this.config.get('ingestion').maxAttempts);
  }

  wake(): void {
    this.worker.wake();
  }
}
