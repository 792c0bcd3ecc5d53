import { Module } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import { EMBEDDING_PROVIDER } from '../embeddings/embedding-provider.token.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import type { EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';
import { ExtractionModule } from '../extraction/extraction.module.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { DocumentProcessor } from './document-processor.service.js';
import { EmbeddingBatcher } from './embedding-batcher.js';
import { IngestionJobsRepository } from './ingestion-jobs.repository.js';
import { INGESTION_QUEUE } from './ingestion-queue.port.js';
import { IngestionQueueService } from './ingestion-queue.service.js';
import { IngestionStore } from './ingestion-store.service.js';
import { IngestionWorker } from './ingestion-worker.service.js';
import { QueueDepthSource } from './queue-depth-source.service.js';

@Module({
  imports: [
    DocumentsModule,
    EmbeddingsModule,
    MetricsModule,
    ExtractionModule.forRootAsync({ inject: [AppConfigService], useFactory: (config: AppConfigService) => config.get('extraction') }),
  ],
  providers: [
    IngestionJobsRepository,
    IngestionStore,
    DocumentProcessor,
    IngestionWorker,
    QueueDepthSource,
    {
      provide: EmbeddingBatcher,
      inject: [EMBEDDING_PROVIDER, AppConfigService],
      useFactory: (provider: EmbeddingProvider, config: AppConfigService): EmbeddingBatcher => {
        const e = config.get('embeddings');
        // a remote call pays a round trip and a request against the rate limit: documents share them;
        // the offline embedder computes locally and gains nothing from waiting
        const remote = Boolean(e.openAiApiKey);
        return new EmbeddingBatcher(provider, { maxInputs: e.batchSize, lingerMs: remote ? e.lingerMs : 0, maxWaitMs: remote ? e.maxWaitMs : 0 });
      },
    },
    { provide: INGESTION_QUEUE, useClass: IngestionQueueService },
  ],
  // the port only: the rest of the service queues documents, and never drives the worker itself
  exports: [INGESTION_QUEUE],
})
export class IngestionModule {}
