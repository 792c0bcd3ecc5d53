import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';

import type { ChunkingOptions } from '../chunking/chunk.js';
import type { ChunkedText } from './chunked-text.js';
import { assertInputSize } from './extract-document.js';
import { noTextLayer } from './extraction-errors.js';
import type { FormatHints } from './extraction-format.js';
import type { ExtractedDocument } from './extracted-document.js';
import { EXTRACTION_LIMITS, resolveLimits, type ExtractionLimits } from './extraction-limits.js';
import { ExtractionPool, type RunOptions } from './extraction-pool.js';
import type { PageSpan } from './page-ranges.js';
import { PartAssembler } from './part-assembler.js';
import { deserializeError, type ExtractionOutcome } from './worker-protocol.js';

/**
 * Pages per task when a PDF is read in parts: small enough that two workers share a book evenly
 * and its first chunks are embedded while later pages are still being read, large enough that
 * reopening the PDF for each part (parsing its cross-reference table) stays a small cost.
 */
export const PDF_SPAN_PAGES = 32;

export interface PartsOptions {
  /** Whose document it is and which: the pool serves waiting tasks in turn across both. */
  owner: string;
  group: string;
  /**
   * Receives each part's chunks, in document order, positioned in the whole document, with the
   * share of the document's parts handed over so far (0-1); awaited before the next part is
   * handed over.
   */
  onPart: (chunks: ChunkedText, progress: number) => Promise<void>;
  /** Stops handing over parts, and drops the parts still waiting for a worker. */
  signal?: AbortSignal;
}

/** The document as a whole, once every part has been handed over (its text stays with the chunks). */
export interface PartsSummary {
  document: Omit<ExtractedDocument, 'text' | 'pages'>;
  chunkCount: number;
  textLength: number;
}

type OkOutcome = Extract<ExtractionOutcome, { ok: true }>;

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

  /**
   * Extracts and chunks a document in parts, handing each part's chunks over as soon as it and
   * every part before it are done: a big PDF is read in page spans of PDF_SPAN_PAGES, several
   * at once across the workers, so its first chunks can be embedded and stored while the rest is
   * still being read. Any other document is one part.
   */
  async extractInParts(bytes: Buffer, hints: FormatHints, chunking: ChunkingOptions, options: PartsOptions): Promise<PartsSummary> {
    assertInputSize(bytes, this.limits);
    // one copy of the bytes that every part's task reads, however many are queued
    const shared = new Uint8Array(new SharedArrayBuffer(bytes.byteLength));
    shared.set(bytes);
    const run = (span: PageSpan): Promise<OkOutcome> =>
      this.runTask(shared, hints, chunking, span, { owner: options.owner, group: options.group, signal: options.signal });
    const assembler = new PartAssembler(this.limits.maxTextChars);

    const first = await run({ first: 1, last: PDF_SPAN_PAGES });
    const { document } = first;
    const spans: PageSpan[] = [];
    if (document.format === 'pdf' && (document.pageCount ?? 0) > PDF_SPAN_PAGES) {
      for (let start = PDF_SPAN_PAGES + 1; start <= (document.pageCount ?? 0); start += PDF_SPAN_PAGES) {
        spans.push({ first: start, last: start + PDF_SPAN_PAGES - 1 });
      }
    }
    // queued now, all of them: the pool runs them as workers free up, in turn with other documents
    const rest = spans.map(run);
    for (const part of rest) void part.catch(() => undefined); // a failure is reported when its turn comes
    const parts = 1 + rest.length;
    await options.onPart(assembler.place({ textLength: first.textLength, chunks: first.chunks ?? [] }), 1 / parts);
    for (const [index, part] of rest.entries()) {
      const outcome = await part;
      options.signal?.throwIfAborted();
      await options.onPart(assembler.place({ textLength: outcome.textLength, chunks: outcome.chunks ?? [] }), (index + 2) / parts);
    }
    if (document.format === 'pdf' && assembler.textLength === 0) throw noTextLayer();
    const { text: _text, pages: _pages, ...meta } = document;
    return { document: meta, chunkCount: assembler.chunkCount, textLength: assembler.textLength };
  }

  private async runTask(bytes: Uint8Array, hints: FormatHints, chunking: ChunkingOptions, span: PageSpan, options: RunOptions): Promise<OkOutcome> {
    const outcome = await this.pool.run(
      {
        bytes,
        hints: { filename: hints.filename, mimeType: hints.mimeType },
        limits: {
          maxBytes: this.limits.maxBytes,
          maxTextChars: this.limits.maxTextChars,
          maxDocxUncompressedBytes: this.limits.maxDocxUncompressedBytes,
          maxPdfUncompressedBytes: this.limits.maxPdfUncompressedBytes,
        },
        chunking: { chunkTokens: chunking.chunkTokens, overlapTokens: chunking.overlapTokens },
        span,
      },
      options,
    );
    if (outcome.ok) return outcome;
    throw deserializeError(outcome.error);
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
        maxPdfUncompressedBytes: this.limits.maxPdfUncompressedBytes,
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
