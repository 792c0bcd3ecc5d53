import { QueryEmbeddingCache } from '../../src/search/query-embedding-cache.js';

describe('QueryEmbeddingCache', () => {
  it('keeps vectors by model and text', () => {
    const cache = new QueryEmbeddingCache(10);
    cache.set('m1', 'leave', [1]);
    expect(cache.get('m1', 'leave')).toEqual([1]);
    expect(cache.get('m2', 'leave')).toBeUndefined();
    expect(cache.get('m1', 'Leave')).toBeUndefined();
  });

  it('drops the least recently used beyond its capacity', () => {
    const cache = new QueryEmbeddingCache(2);
    cache.set('m', 'a', [1]);
    cache.set('m', 'b', [2]);
    expect(cache.get('m', 'a')).toEqual([1]); // a is now the most recent
    cache.set('m', 'c', [3]);
    expect(cache.size).toBe(2);
    expect(cache.get('m', 'b')).toBeUndefined();
    expect(cache.get('m', 'a')).toEqual([1]);
    expect(cache.get('m', 'c')).toEqual([3]);
  });

  it('holds nothing at capacity 0', () => {
    const cache = new QueryEmbeddingCache(0);
    cache.set('m', 'a', [1]);
    expect(cache.get('m', 'a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });
});
