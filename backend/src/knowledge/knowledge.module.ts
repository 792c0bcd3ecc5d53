import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';

import { AuthModule } from '../auth/auth.module.js';
import { AppConfigService } from '../config/app-config.service.js';
import { DocumentsModule } from '../documents/documents.module.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { IngestionModule } from '../ingestion/ingestion.module.js';
import { QuotasModule } from '../quotas/quotas.module.js';
import { EntryStatusPoller } from './entry-status-poller.js';
import { KnowledgePublicController } from './knowledge-vocabulary.controller.js';
import { KnowledgeStatusService } from './knowledge-status.service.js';
import { KnowledgeController } from './knowledge.controller.js';
import { KnowledgeService } from './knowledge.service.js';
import { SourceIntake } from './source-intake.service.js';
import { StatusStreamSlots } from './status-stream-slots.js';
import { UploadMemoryBudget } from './upload-memory.interceptor.js';

@Module({
  imports: [
    AuthModule,
    DocumentsModule,
    EmbeddingsModule,
    IngestionModule,
    QuotasModule,
    MultipartModule.registerAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        // files are held in memory: they are stored in the database anyway, and the limit bounds them
        limits: { fileSize: config.get('uploads').maxFileBytes, files: config.get('uploads').maxFiles, fields: 50, fieldSize: 1024 * 1024 },
      }),
    }),
  ],
  controllers: [KnowledgePublicController, KnowledgeController],
  providers: [KnowledgeService, SourceIntake, KnowledgeStatusService, EntryStatusPoller, StatusStreamSlots, UploadMemoryBudget],
})
export class KnowledgeModule {}
