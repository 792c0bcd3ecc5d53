import type { MessagePort } from 'node:worker_threads';

import type { ChunkingOptions } from '../chunking/chunk.js';
import type { ChunkedText } from './chunked-text.js';
import type { FormatHints } from './extraction-format.js';
import type { ExtractedDocument } from './extracted-document.js';
import { ExtractionError, UnsupportedTypeError, type ExtractionErrorCode } from './extraction-errors.js';
import type { ExtractionLimits } from './extraction-limits.js';
import type { PageSpan } from './page-ranges.js';

/**
 * What the main thread posts to a worker. `bytes` owns its buffer, which is transferred, not
 * copied; or it views a SharedArrayBuffer that the tasks reading one PDF's page spans share.
 */
export interface ExtractionTask {
  bytes: Uint8Array;
  hints: FormatHints;
  limits: Pick<ExtractionLimits, 'maxBytes' | 'maxTextChars' | 'maxDocxUncompressedBytes' | 'maxPdfUncompressedBytes'>;
  /** Also chunk the text (and hash the chunks) in the worker, off the API's event loop; the text itself then stays there. */
  chunking?: ChunkingOptions;
  /** Only these pages of a PDF. */
  span?: PageSpan;
  /** The worker posts one message here when it begins the task: the pool's time limit starts then. */
  started: MessagePort;
}

/**
 * Expected failures come back as data: structured cloning keeps an error's message but not its
 * class or fields, and the caller needs `code` and `acceptedTypes`. Anything else is thrown.
 */
export type ExtractionOutcome =
  | {
      ok: true;
      /** With chunking, `document.text` is left out (''): the chunks carry it. */
      document: ExtractedDocument;
      /** Characters of the extracted text, which chunk offsets index into. */
      textLength: number;
      chunks?: ChunkedText;
    }
  | { ok: false; error: SerializedError };

export type SerializedError =
  | { kind: 'extraction'; code: ExtractionErrorCode; message: string }
  | { kind: 'unsupported'; detected: string };

export function serializeError(error: unknown): SerializedError | null {
  if (error instanceof ExtractionError) return { kind: 'extraction', code: error.code, message: error.message };
  if (error instanceof UnsupportedTypeError) return { kind: 'unsupported', detected: error.detected };
  return null;
}

export function deserializeError(error: SerializedError): ExtractionError | UnsupportedTypeError {
  return error.kind === 'extraction' ? new ExtractionError(error.code, error.message) : new UnsupportedTypeError(error.detected);
}
