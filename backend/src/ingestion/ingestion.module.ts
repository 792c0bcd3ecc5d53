import { Module } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { ExtractionModule } from '../extraction/extraction.module.js';
import { DocumentProcessor } from './document-processor.service.js';
import { DocumentStoreRepository } from './document-store.repository.js';
import { IngestionQueueRepository } from './ingestion-queue.repository.js';
import { IngestionWorker } from './ingestion-worker.service.js';

@Module({
  imports: [
    EmbeddingsModule,
    ExtractionModule.forRootAsync({ inject: [AppConfigService], useFactory: (config: AppConfigService) => config.get('extraction') }),
  ],
  providers: [IngestionQueueRepository, DocumentStoreRepository, DocumentProcessor, IngestionWorker],
  exports: [IngestionQueueRepository, IngestionWorker],
})
export class IngestionModule {}
