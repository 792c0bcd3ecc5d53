import type { NewEmbeddingChunk } from '../../src/embeddings/embedding-chunk.js';
import type { HashedChunk } from '../../src/extraction/chunked-text.js';
import { ChunkSink } from '../../src/ingestion/chunk-sink.js';
import type { BatchTicket } from '../../src/ingestion/embedding-batcher.js';
import type { IngestionStore } from '../../src/ingestion/ingestion-store.service.js';

const chunk = (position: number, text: string): HashedChunk => ({
  position,
  text,
  tokenCount: 1,
  charStart: position * 10,
  charEnd: position * 10 + text.length,
  pageNumber: null,
  pageEnd: null,
  contentHash: `hash-of-${text}`,
});

/** A store that records what it is asked, with `stored` vectors already in the database. */
function fakeStore(batchSize: number, stored: Record<string, number[]> = {}) {
  const batches: NewEmbeddingChunk[][] = [];
  const lookups: string[][] = [];
  const store = {
    batchSize,
    reusableVectors: (_tenant: string, _model: string, hashes: readonly string[]) => {
      lookups.push([...hashes]);
      return Promise.resolve(new Map(hashes.filter((h) => stored[h]).map((h) => [h, stored[h]])));
    },
    markStage: () => Promise.resolve(),
    storeChunks: (_tenant: string, _job: unknown, _worker: string, rows: readonly NewEmbeddingChunk[]) => {
      batches.push([...rows]);
      for (const row of rows) stored[row.contentHash] = [...row.vector];
      return Promise.resolve();
    },
  };
  return { store: store as unknown as IngestionStore, batches, lookups };
}

function sink(store: IngestionStore, embedded: string[][], fail?: Error): ChunkSink {
  return new ChunkSink({
    store,
    job: { id: 'job', tenantId: '00000000-0000-4000-8000-000000000001', documentId: 'doc', attempts: 1, maxAttempts: 5 },
    workerId: 'worker',
    document: { id: 'doc', knowledgeBaseId: 'kb', sourceKind: 'text', filename: null, mimeType: null, sourceUrl: null, content: null },
    model: 'm',
    ticket: {} as BatchTicket,
    signal: new AbortController().signal,
    embed: (_ticket, texts) => {
      embedded.push(texts);
      return fail ? Promise.reject(fail) : Promise.resolve(texts.map((t) => [t.length]));
    },
  });
}

describe('ChunkSink', () => {
  it('stores parts in order, in batches, embedding each distinct new text once and reusing stored ones', async () => {
    const { store, batches, lookups } = fakeStore(2, { 'hash-of-known': [42] });
    const embedded: string[][] = [];
    const s = sink(store, embedded);
    await s.add([chunk(0, 'alpha'), chunk(1, 'known'), chunk(2, 'alpha'), chunk(3, 'beta')], 0.5);
    await s.add([chunk(4, 'beta'), chunk(5, 'gamma')], 1);
    await s.finish();
    expect(batches.map((b) => b.map((r) => r.position))).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(batches.flat().map((r) => r.vector)).toEqual([[5], [42], [5], [4], [4], [5]]);
    expect(embedded.flat().sort()).toEqual(['alpha', 'beta', 'gamma']);
    expect(lookups[0]?.sort()).toEqual(['hash-of-alpha', 'hash-of-beta', 'hash-of-known']);
    expect(s.parts).toBe(2);
  });

  it('fails the document with the embedding error, and refuses parts after it', async () => {
    const { store, batches } = fakeStore(2);
    const s = sink(store, [], new Error('provider down'));
    await s.add([chunk(0, 'alpha')], 0.5);
    await expect(s.finish()).rejects.toThrow('provider down');
    await expect(s.add([chunk(1, 'beta')], 1)).rejects.toThrow('provider down');
    expect(batches).toEqual([]);
  });
});
