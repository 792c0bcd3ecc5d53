import { Module } from '@nestjs/common';

import { DatabasePoolMetrics } from './database-pool-metrics.js';
import { EmbeddingMetrics } from './embedding-metrics.js';
import { HttpMetrics } from './http-metrics.js';
import { IngestionMetrics } from './ingestion-metrics.js';
import { MetricsAccessGuard } from './metrics-access.guard.js';
import { MetricsController } from './metrics.controller.js';
import { createMetricsRegistry, METRICS_REGISTRY } from './metrics-registry.js';
import { SearchMetrics } from './search-metrics.js';

/**
 * Prometheus metrics of this application instance (one registry per app) and GET /metrics. The
 * modules that measure something import it and record through its instruments; it reads the
 * database pool itself, and the ingestion queue through the source the ingestion module gives it.
 */
@Module({
  controllers: [MetricsController],
  providers: [
    { provide: METRICS_REGISTRY, useFactory: createMetricsRegistry },
    MetricsAccessGuard,
    HttpMetrics,
    DatabasePoolMetrics,
    IngestionMetrics,
    EmbeddingMetrics,
    SearchMetrics,
  ],
  exports: [HttpMetrics, IngestionMetrics, EmbeddingMetrics, SearchMetrics],
})
export class MetricsModule {}
