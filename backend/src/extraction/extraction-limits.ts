import { availableParallelism } from 'node:os';

/**
 * Bounds on one extraction. The caller passes them in (from its validated configuration); this
 * folder reads no environment. The shape matches `AppConfig['extraction']`.
 */
export interface ExtractionLimits {
  /** Largest input accepted, in bytes. The API checks the upload too; this guards every other caller. */
  maxBytes: number;
  /** Longest extracted text, in characters; beyond it the document is refused as too large. */
  maxTextChars: number;
  /** Largest total uncompressed size a DOCX's zip directory may declare (zip-bomb guard). */
  maxDocxUncompressedBytes: number;
  /** Largest total a PDF's streams may decode to (PDF-bomb guard); DEFAULT_EXTRACTION_LIMITS' when unset. */
  maxPdfUncompressedBytes?: number;
  /** Wall time one parse may take once it has a worker (queueing not counted) before that worker is terminated. */
  parseTimeoutMs: number;
  /** Worker threads in the parsing pool. Clamped to 1..4 when used. */
  workers?: number;
  /**
   * V8 old-generation heap cap of each worker, in MiB: a document whose parse needs more (a
   * pathological PDF or HTML page) kills its worker, not the API process. Buffers live outside it.
   */
  workerMemoryMb?: number;
}

export const MAX_WORKERS = 4;

export const DEFAULT_EXTRACTION_LIMITS: Readonly<Required<ExtractionLimits>> = Object.freeze({
  maxBytes: 25 * 1024 * 1024,
  maxTextChars: 5_000_000,
  maxDocxUncompressedBytes: 100 * 1024 * 1024,
  maxPdfUncompressedBytes: 256 * 1024 * 1024,
  parseTimeoutMs: 30_000,
  workers: Math.min(MAX_WORKERS, Math.max(1, availableParallelism())),
  workerMemoryMb: 1024,
});

/** Injection token for the `ExtractionLimits` the service runs with. */
export const EXTRACTION_LIMITS = Symbol('EXTRACTION_LIMITS');

/** Fills optional fields and clamps the pool size, so callers may pass a partial configuration. */
export function resolveLimits(limits: ExtractionLimits): Readonly<Required<ExtractionLimits>> {
  const workers = Math.trunc(limits.workers ?? DEFAULT_EXTRACTION_LIMITS.workers);
  return Object.freeze({
    maxBytes: limits.maxBytes,
    maxTextChars: limits.maxTextChars,
    maxDocxUncompressedBytes: limits.maxDocxUncompressedBytes,
    maxPdfUncompressedBytes: limits.maxPdfUncompressedBytes ?? DEFAULT_EXTRACTION_LIMITS.maxPdfUncompressedBytes,
    parseTimeoutMs: limits.parseTimeoutMs,
    workers: Math.min(MAX_WORKERS, Math.max(1, Number.isFinite(workers) ? workers : 1)),
    workerMemoryMb: limits.workerMemoryMb ?? DEFAULT_EXTRACTION_LIMITS.workerMemoryMb,
  });
}
