import type { EmbeddingProvider } from '../embeddings/providers/embedding-provider.js';
import { LEXICAL_MODEL, LexicalEmbeddingProvider } from '../embeddings/providers/lexical-embedding-provider.js';
import { QueryEmbeddingCache } from './query-embedding-cache.js';

/**
 * Embeds search queries with the model a tenant's chunks carry, which is the configured one except
 * while a tenant is being re-embedded (`nx run backend:reembed`) or has not been yet: then the
 * query is embedded with the stored model when the configured provider serves it (an
 * OpenAI-compatible endpoint serves several models) or it is the offline embedder's (which runs
 * anywhere). Vectors are remembered per model and text (an LRU cache).
 */
export class QueryEmbedder {
  private readonly cache: QueryEmbeddingCache;
  private offline: LexicalEmbeddingProvider | undefined;

  constructor(
    private readonly provider: EmbeddingProvider,
    cacheSize: number,
  ) {
    this.cache = new QueryEmbeddingCache(cacheSize);
  }

  get configuredModel(): string {
    return this.provider.model;
  }

  /** Whether queries can be embedded with `model`, so that they compare with chunks embedded with it. */
  serves(model: string): boolean {
    return this.provider.servesModel(model) || model === LEXICAL_MODEL;
  }

  /** The query's vector under `model` (one `serves`); rejects with the provider's EmbeddingError. */
  async vector(model: string, query: string): Promise<readonly number[] | undefined> {
    const cached = this.cache.get(model, query);
    if (cached) return cached;
    const [vector] = await this.embedderFor(model).embed([query], undefined, { interactive: true, ...(model === this.provider.model ? {} : { model }) });
    if (vector !== undefined) this.cache.set(model, query, vector);
    return vector;
  }

  private embedderFor(model: string): EmbeddingProvider {
    if (this.provider.servesModel(model)) return this.provider;
    this.offline ??= new LexicalEmbeddingProvider();
    return this.offline;
  }
}
