import { Module, type DynamicModule } from '@nestjs/common';

import type { AppConfig } from './config/app-config.js';
import { AppConfigModule } from './config/app-config.module.js';
import { DatabaseModule } from './database/database.module.js';
import { EmbeddingsModule } from './embeddings/embeddings.module.js';
import { HealthModule } from './health/health.module.js';
import { KnowledgeModule } from './knowledge/knowledge.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { AnswersModule } from './answers/answers.module.js';
import { ContextModule } from './context/context.module.js';
import { RateLimitModule } from './rate-limit/rate-limit.module.js';
import { UsageModule } from './usage/usage.module.js';
import { SearchModule } from './search/search.module.js';
import { TenantsModule } from './tenants/tenants.module.js';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [AppConfigModule.forRoot(config), DatabaseModule, HealthModule, TenantsModule, KnowledgeModule, SearchModule, ContextModule, AnswersModule, UsageModule, EmbeddingsModule, RateLimitModule, MetricsModule],
    };
  }
}
