import type { AppConfig } from '../../config/app-config.js';
import type { EmbeddingProvider } from './embedding-provider.js';
import type { EmbeddingRequestObserver } from './embedding-request-sample.js';
import { LexicalEmbeddingProvider } from './lexical-embedding-provider.js';
import { OpenAiEmbeddingProvider, type OpenAiEmbeddingProviderOptions } from './openai-embedding-provider.js';

/** Provider settings as configuration holds them; the OpenAI ones are ignored without an API key. */
export type EmbeddingProviderOptions = Partial<Omit<OpenAiEmbeddingProviderOptions, 'dimensions'>>;

/** The provider settings of the validated configuration (EMBEDDING_*, OPENAI_*). */
export function embeddingProviderOptions(config: AppConfig['embeddings'], observe?: EmbeddingRequestObserver): EmbeddingProviderOptions {
  return {
    apiKey: config.openAiApiKey,
    baseURL: config.openAiBaseUrl,
    model: config.model,
    maxBatchInputs: config.batchSize,
    maxConcurrency: config.concurrency,
    timeoutMs: config.timeoutMs,
    maxRetries: config.maxRetries,
    ...(observe ? { observe } : {}),
  };
}

/**
 * OpenAI when an API key is configured, else the offline lexical provider. Both produce vectors
 * of the column's size (`EMBEDDING_DIMENSIONS`). A blank key counts as none, as an empty
 * `OPENAI_API_KEY=` line in a .env file means.
 */
export function createEmbeddingProvider(options: EmbeddingProviderOptions = {}): EmbeddingProvider {
  const apiKey = options.apiKey?.trim();
  if (!apiKey) return new LexicalEmbeddingProvider();
  return new OpenAiEmbeddingProvider({ ...options, apiKey });
}
