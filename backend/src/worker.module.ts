import { Module, type DynamicModule } from '@nestjs/common';

import type { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/app-config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { IngestionModule } from './ingestion/ingestion.module.js';
import { MetricsModule } from './metrics/metrics.module.js';

/**
 * The application of a worker-only process (APP_MODE=worker): the ingestion worker, with the health
 * routes and /metrics for whoever runs it, and none of the API. Any number of these share one
 * PostgreSQL database with any number of API processes; the job queue's row locks and heartbeats
 * keep each document with one worker at a time.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [AppConfigModule.forRoot(config), DatabaseModule, HealthModule, MetricsModule, IngestionModule],
    };
  }
}
