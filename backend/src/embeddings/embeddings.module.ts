import { Module } from '@nestjs/common';

import { EmbeddingsRepository } from './embeddings.repository.js';

/** Vector storage and similarity queries; the embedding providers join it with ingestion. */
@Module({
  providers: [EmbeddingsRepository],
  exports: [EmbeddingsRepository],
})
export class EmbeddingsModule {}
