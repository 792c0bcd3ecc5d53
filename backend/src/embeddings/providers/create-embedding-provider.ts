import type { EmbeddingProvider } from './embedding-provider.js';
import { LexicalEmbeddingProvider } from './lexical-embedding-provider.js';
import { OpenAiEmbeddingProvider, type OpenAiEmbeddingProviderOptions } from './openai-embedding-provider.js';

/** Provider settings as configuration holds them; the OpenAI ones are ignored without an API key. */
export type EmbeddingProviderOptions = Partial<Omit<OpenAiEmbeddingProviderOptions, 'dimensions'>>;

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
