import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { EmbeddingsModule } from '../embeddings/embeddings.module.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { SearchController } from './search.controller.js';
import { SearchService } from './search.service.js';

/** POST /routes/knowledge/{tenant}/search. */
@Module({
  imports: [AuthModule, EmbeddingsModule, MetricsModule],
  controllers: [SearchController],
  providers: [SearchService],
  exports: [SearchService],
})
export class SearchModule {}
