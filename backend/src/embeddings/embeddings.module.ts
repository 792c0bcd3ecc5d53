import { Logger, Module } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import { EmbeddingMetrics } from '../metrics/embedding-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { EMBEDDING_PROVIDER } from './embedding-provider.token.js';
import { EmbeddingsRepository } from './embeddings.repository.js';
import type { EmbeddingProvider } from './providers/embedding-provider.js';
import { createEmbeddingProvider } from './providers/create-embedding-provider.js';

/** Vector storage and similarity queries, and the configured embedding provider. */
@Module({
  imports: [MetricsModule],
  providers: [
    EmbeddingsRepository,
    {
      provide: EMBEDDING_PROVIDER,
      inject: [AppConfigService, EmbeddingMetrics],
      useFactory: (config: AppConfigService, metrics: EmbeddingMetrics): EmbeddingProvider => {
        const e = config.get('embeddings');
        const provider = createEmbeddingProvider({
          apiKey: e.openAiApiKey,
          baseURL: e.openAiBaseUrl,
          model: e.model,
          maxBatchInputs: e.batchSize,
          maxConcurrency: e.concurrency,
          timeoutMs: e.timeoutMs,
          maxRetries: e.maxRetries,
          observe: (sample) => metrics.observe(sample),
        });
        new Logger('Embeddings').log(
          e.openAiApiKey ? `embedding with ${provider.model} via ${e.openAiBaseUrl ?? 'the OpenAI API'}` : `no OPENAI_API_KEY: embedding offline with ${provider.model}`,
        );
        return provider;
      },
    },
  ],
  exports: [EmbeddingsRepository, EMBEDDING_PROVIDER],
})
export class EmbeddingsModule {}
