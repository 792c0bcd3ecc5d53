import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { KnowledgeHealthController } from './knowledge-health.controller.js';
import { KnowledgeController } from './knowledge.controller.js';
import { KnowledgeRepository } from './knowledge.repository.js';
import { KnowledgeService } from './knowledge.service.js';

@Module({
  imports: [AuthModule, EmbeddingsModule],
  controllers: [KnowledgeHealthController, KnowledgeController],
  providers: [KnowledgeRepository, KnowledgeService],
})
export class KnowledgeModule {}
