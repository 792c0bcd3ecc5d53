import type { Chunk } from '../chunking/chunk.js';

/** A chunk with the sha-256 (hex) of its text, the key under which its embedding can be reused. */
export interface HashedChunk extends Chunk {
  contentHash: string;
}

/** A document's chunks, cut and hashed in an extraction worker. */
export type ChunkedText = HashedChunk[];
