import { Logger, Module } from '@nestjs/common';

import { AppConfigService } from '../config/app-config.service.js';
import { EmbeddingMetrics } from '../metrics/embedding-metrics.js';
import { MetricsModule } from '../metrics/metrics.module.js';
import { EmbeddingRebuildsRepository } from './embedding-rebuilds.repository.js';
import { EMBEDDING_PROVIDER } from './embedding-provider.token.js';
import { EmbeddingsRepository } from './embeddings.repository.js';
import type { EmbeddingProvider } from './providers/embedding-provider.js';
import { createEmbeddingProvider, embeddingProviderOptions } from './providers/create-embedding-provider.js';

/** Vector storage and similarity queries, and the configured embedding provider. */
@Module({
  imports: [MetricsModule],
  providers: [
    EmbeddingsRepository,
    EmbeddingRebuildsRepository,
    {
      provide: EMBEDDING_PROVIDER,
      inject: [AppConfigService, EmbeddingMetrics],
      useFactory: (config: AppConfigService, metrics: EmbeddingMetrics): EmbeddingProvider => {
        const e = config.get('embeddings');
        const provider = createEmbeddingProvider(embeddingProviderOptions(e, (sample) => metrics.observe(sample)));
        new Logger('Embeddings').log(
          e.openAiApiKey ? `embedding with ${provider.model} via ${e.openAiBaseUrl ?? 'the OpenAI API'}` : `no OPENAI_API_KEY: embedding offline with ${provider.model}`,
        );
        return provider;
      },
    },
  ],
  exports: [EmbeddingsRepository, EmbeddingRebuildsRepository, EMBEDDING_PROVIDER],
})
export class EmbeddingsModule {}
