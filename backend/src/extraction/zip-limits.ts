import { ExtractionError } from './extraction-errors.js';
import { inflateRawSync } from 'node:zlib';

import { formatBytes } from './format-bytes.js';
import { rawEntryData, type ZipEntry } from './zip-directory.js';

/** A ratio real documents never reach; XML compresses ~10:1, a run of zeros ~1000:1. */
export const MAX_COMPRESSION_RATIO = 200;
/** Small entries may compress absurdly well (a blank template) without being a threat. */
export const RATIO_CHECK_MIN_BYTES = 10 * 1024 * 1024;
/** Far more parts than any real document has; each costs the zip library memory. */
export const MAX_ZIP_ENTRIES = 10_000;

/**
 * Refuses an archive whose central directory declares more than it may unpack to: too many
 * entries, too many bytes in total, or one entry compressed so well it can only be a zip bomb.
 * Declared sizes can lie: see `assertEntriesMatchDirectory`.
 */
export function assertZipWithinLimits(entries: readonly ZipEntry[], maxUncompressedBytes: number): void {
  if (entries.length > MAX_ZIP_ENTRIES) {
    throw new ExtractionError('too_large', `The document contains too many parts (${entries.length}; the limit is ${MAX_ZIP_ENTRIES}).`);
  }
  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    const ratio = entry.uncompressedSize / Math.max(1, entry.compressedSize);
    if (entry.uncompressedSize > RATIO_CHECK_MIN_BYTES && ratio > MAX_COMPRESSION_RATIO) {
      throw new ExtractionError('too_large', 'The document contains a part that unpacks to an implausible size (a possible zip bomb).');
    }
  }
  if (total > maxUncompressedBytes) {
    throw new ExtractionError(
      'too_large',
      `The document unpacks to ${formatBytes(total)}, more than the ${formatBytes(maxUncompressedBytes)} limit.`,
    );
  }
}

/**
 * Inflates every deflated entry, stopping as soon as one produces more than its directory
 * declared. The zip library mammoth uses inflates an entry completely before comparing sizes, in
 * off-heap buffers the worker's heap cap does not bound, so a lying entry must be caught first.
 */
export function assertEntriesMatchDirectory(bytes: Uint8Array, entries: readonly ZipEntry[]): void {
  for (const entry of entries) {
    if (entry.method !== 8) continue;
    const data = rawEntryData(bytes, entry);
    if (!data) continue;
    try {
      inflateRawSync(data, { maxOutputLength: Math.max(1, entry.uncompressedSize) });
    } catch (error) {
      if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new ExtractionError('too_large', 'The document contains a part larger than the archive declares (a possible zip bomb).');
      }
      // Damaged compressed data is the zip library's to report, as a corrupt document.
    }
  }
}
