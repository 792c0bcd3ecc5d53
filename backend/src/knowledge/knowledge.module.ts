import { Module } from '@nestjs/common';
import { MultipartModule } from '@nestjs/platform-fastify/multipart';

import { AuthModule } from '../auth/auth.module.js';
import { AppConfigService } from '../config/app-config.service.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { IngestionModule } from '../ingestion/ingestion.module.js';
import { KnowledgePublicController } from './knowledge-vocabulary.controller.js';
import { KnowledgeStatusService } from './knowledge-status.service.js';
import { KnowledgeController } from './knowledge.controller.js';
import { KnowledgeRepository } from './knowledge.repository.js';
import { KnowledgeService } from './knowledge.service.js';
import { SourceIntake } from './source-intake.service.js';

@Module({
  imports: [
    AuthModule,
    EmbeddingsModule,
    IngestionModule,
    MultipartModule.registerAsync({
      inject: [AppConfigService],
      useFactory: (config: AppConfigService) => ({
        // files are held in memory: they are stored in the database anyway, and the limit bounds them
        limits: { fileSize: config.get('uploads').maxFileBytes, files: config.get('uploads').maxFiles, fields: 50, fieldSize: 1024 * 1024 },
      }),
    }),
  ],
  controllers: [KnowledgePublicController, KnowledgeController],
  providers: [KnowledgeRepository, KnowledgeService, SourceIntake, KnowledgeStatusService],
})
export class KnowledgeModule {}
