export interface EmbedOptions {
  interactive?: boolean;
  /**
   * Embed with this model instead of `model`, when the provider serves it (`servesModel`): a
   * tenant whose chunks still carry the previous model is searched with query vectors of that
   * model until its chunks are re-embedded.
   */
  model?: string;
}

/** Turns texts into vectors for the `embeddings.embedding_vector` column. */
export interface EmbeddingProvider {
  /** Stored with every vector: vectors of different models are not comparable. */
  readonly model: string;
  readonly dimensions: number;
  /**
   * One vector per text, in input order. Rejects with EmbeddingError, or with `signal.reason` when
   * aborted. `interactive` (a search query, someone waiting) goes ahead of bulk work (ingestion)
   * waiting for the same requests.
   */
  embed(texts: readonly string[], signal?: AbortSignal, options?: EmbedOptions): Promise<number[][]>;
  /** Whether `embed` can produce vectors of `model` (as `options.model`); always true for its own `model`. */
  servesModel(model: string): boolean;
}

/**
 * A failed embedding call. `transient` tells the caller whether the same request may succeed
 * later (rate limit, outage, timeout) or never will (bad key, bad input, wrong model settings).
 * Messages never contain the API key.
 */
export class EmbeddingError extends Error {
  constructor(
    message: string,
    readonly transient: boolean,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'EmbeddingError';
  }
}
