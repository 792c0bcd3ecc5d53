/**
 * Query vectors by embedding model and query text, least recently used dropped first, so a
 * repeated query costs no second embedding call. Holds at most `capacity` vectors (0: none).
 */
export class QueryEmbeddingCache {
  private readonly entries = new Map<string, readonly number[]>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(model: string, text: string): readonly number[] | undefined {
    const key = cacheKey(model, text);
    const vector = this.entries.get(key);
    if (vector !== undefined) {
      // a Map iterates in insertion order: re-inserting marks it most recently used
      this.entries.delete(key);
      this.entries.set(key, vector);
    }
    return vector;
  }

  set(model: string, text: string, vector: readonly number[]): void {
    if (this.capacity <= 0) return;
    const key = cacheKey(model, text);
    this.entries.delete(key);
    this.entries.set(key, vector);
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }
}

const cacheKey = (model: string, text: string): string => `${model}\u0000${text}`;
