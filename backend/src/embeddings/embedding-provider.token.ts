/** Injection token for the configured `EmbeddingProvider` (OpenAI or the offline lexical one). */
export const EMBEDDING_PROVIDER = Symbol('EMBEDDING_PROVIDER');
