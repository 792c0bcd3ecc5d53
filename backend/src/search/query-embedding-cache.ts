import { LruMap } from '../common/cache/lru-map.js';

/**
 * Query vectors by embedding model and query text, least recently used dropped first, so a
 * repeated query costs no second embedding call. Holds at most `capacity` vectors (0: none).
 */
export class QueryEmbeddingCache {
  private readonly entries: LruMap<string, readonly number[]>;

  constructor(capacity: number) {
    this.entries = new LruMap(capacity);
  }

  get size(): number {
    return this.entries.size;
  }

  get(model: string, text: string): readonly number[] | undefined {
    return this.entries.get(cacheKey(model, text));
  }

  set(model: string, text: string, vector: readonly number[]): void {
    this.entries.set(cacheKey(model, text), vector);
  }
}

const cacheKey = (model: string, text: string): string => `${model}\u0000${text}`;
