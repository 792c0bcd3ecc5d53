import { EMBEDDING_DIMENSIONS } from '../vector-param.js';
import { EmbeddingError, type EmbedOptions, type EmbeddingProvider } from './embedding-provider.js';
import { mix32 } from './feature-hash.js';
import { FEATURE_WEIGHTS, lexicalFeatures } from './lexical-features.js';

const log = Math.log;

export const LEXICAL_MODEL = 'business-brain-lexical-v1';

// Texts embedded between two yields to the event loop: a large batch must not stall health checks.
const YIELD_EVERY = 64;

/**
 * The offline default when no API key is configured: deterministic, no model download, and
 * useful for keyword-style search. Lexical features (stemmed words, word bigrams, character
 * trigrams; see lexical-features.ts) are hashed into `dimensions` signed buckets (the hashing
 * trick: the sign keeps colliding features from adding up systematically), weighted by
 * sublinear term frequency 1 + ln(tf), and L2-normalised, so cosine similarity measures shared
 * vocabulary. It knows no synonyms: "car" and "automobile" stay unrelated.
 */
export class LexicalEmbeddingProvider implements EmbeddingProvider {
  readonly model: string;
  readonly dimensions: number;
  private readonly empty: number[];

  constructor(options: { dimensions?: number } = {}) {
    this.dimensions = options.dimensions ?? EMBEDDING_DIMENSIONS;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 1) throw new RangeError(`dimensions must be a positive integer, got ${this.dimensions}`);
    // Another size is another vector space, so it gets another model name.
    this.model = this.dimensions === EMBEDDING_DIMENSIONS ? LEXICAL_MODEL : `${LEXICAL_MODEL}-${this.dimensions}d`;
    // A text with no content terms (empty, all stopwords) still needs a unit vector, never NaN:
    // a fixed direction, nearly orthogonal to every real text's signed, hashed vector.
    this.empty = new Array<number>(this.dimensions).fill(1 / Math.sqrt(this.dimensions));
  }

  /** One model only: its own. */
  servesModel(model: string): boolean {
    return model === this.model;
  }

  async embed(texts: readonly string[], signal?: AbortSignal, options: EmbedOptions = {}): Promise<number[][]> {
    if (options.model !== undefined && !this.servesModel(options.model)) {
      throw new EmbeddingError(`the offline embedder embeds with ${this.model} only, not ${options.model}`, false);
    }
    const vectors: number[][] = [];
    for (let i = 0; i < texts.length; i++) {
      if (i > 0 && i % YIELD_EVERY === 0) await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      vectors.push(this.embedText(texts[i]));
    }
    return vectors;
  }

  /** Synchronous form of `embed` for one text. */
  embedText(text: string): number[] {
    const vector = new Float64Array(this.dimensions);
    const { words, bigrams, trigrams } = lexicalFeatures(text);
    this.accumulate(vector, words, FEATURE_WEIGHTS.word);
    this.accumulate(vector, bigrams, FEATURE_WEIGHTS.bigram);
    this.accumulate(vector, trigrams, FEATURE_WEIGHTS.trigram);
    let squares = 0;
    for (let i = 0; i < vector.length; i++) squares += vector[i] * vector[i];
    if (squares === 0) return [...this.empty];
    const norm = Math.sqrt(squares);
    return Array.from(vector, (value) => value / norm);
  }

  private accumulate(vector: Float64Array, features: Map<number, number>, weight: number): void {
    for (const [hash, frequency] of features) {
      const mixed = mix32(hash);
      const sign = mix32(mixed ^ 0x9e3779b9) & 1 ? -1 : 1;
      vector[mixed % this.dimensions] += sign * weight * (1 + log(frequency));
    }
  }
}
