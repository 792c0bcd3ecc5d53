import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';

import type { ChunkingOptions } from '../chunking/chunk.js';
import type { ChunkedText } from './chunked-text.js';
import { assertInputSize } from './extract-document.js';
import type { FormatHints } from './extraction-format.js';
import type { ExtractedDocument } from './extracted-document.js';
import { EXTRACTION_LIMITS, resolveLimits, type ExtractionLimits } from './extraction-limits.js';
import { ExtractionPool } from './extraction-pool.js';
import { deserializeError } from './worker-protocol.js';

/**
 * Turns an uploaded or fetched file into normalised text. Parsing runs in a pool of worker
 * threads with a wall-time limit, so a hostile or pathological file costs one worker, never the
 * API's event loop. Throws `ExtractionError` or `UnsupportedTypeError` for files that can never
 * be extracted; anything else is an internal failure.
 */
@Injectable()
export class ExtractionService implements OnModuleDestroy {
  private readonly limits: Readonly<Required<ExtractionLimits>>;
  private readonly pool: ExtractionPool;

  constructor(@Inject(EXTRACTION_LIMITS) limits: ExtractionLimits) {
    this.limits = resolveLimits(limits);
    this.pool = new ExtractionPool(this.limits);
  }

  async extract(bytes: Buffer, hints: FormatHints = {}): Promise<ExtractedDocument> {
    return (await this.run(bytes, hints)).document;
  }

  /** Extracts and chunks in the same worker task: the text is tokenised there too, not on the event loop. */
  async extractAndChunk(bytes: Buffer, hints: FormatHints, chunking: ChunkingOptions): Promise<{ document: ExtractedDocument; chunks: ChunkedText }> {
    const { document, chunks } = await this.run(bytes, hints, chunking);
    if (!chunks) throw new Error('the extraction worker returned no chunks');
    return { document, chunks };
  }

  private async run(bytes: Buffer, hints: FormatHints, chunking?: ChunkingOptions): Promise<{ document: ExtractedDocument; chunks?: ChunkedText }> {
    // Cheap refusals happen here, before a copy of the bytes crosses to a worker.
    assertInputSize(bytes, this.limits);
    const outcome = await this.pool.run({
      // An exact copy with a buffer of its own, transferred to the worker; the caller's Buffer may be a slice of a larger pool.
      bytes: new Uint8Array(bytes),
      hints: { filename: hints.filename, mimeType: hints.mimeType },
      limits: {
        maxBytes: this.limits.maxBytes,
        maxTextChars: this.limits.maxTextChars,
        maxDocxUncompressedBytes: this.limits.maxDocxUncompressedBytes,
      },
      ...(chunking ? { chunking: { chunkTokens: chunking.chunkTokens, overlapTokens: chunking.overlapTokens } } : {}),
    });
    if (outcome.ok) return outcome;
    throw deserializeError(outcome.error);
  }

  async onModuleDestroy(): Promise<void> {
    await this.pool.destroy();
  }
}
