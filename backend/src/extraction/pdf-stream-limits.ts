import { ExtractionError } from './extraction-errors.js';
import { formatBytes } from './format-bytes.js';
import { decodedSize } from './pdf-stream-filters.js';
import { pdfStreams } from './pdf-streams.js';
import { MAX_COMPRESSION_RATIO, RATIO_CHECK_MIN_BYTES } from './zip-limits.js';

/**
 * Refuses a PDF whose streams decode to more than `maxUncompressedBytes` in all, or holding a
 * stream (other than an image) compressed so well it can only be a bomb: past 10 MiB at over
 * 200:1, as for a DOCX's parts. pdf.js keeps every stream it decodes whole, in buffers outside
 * the worker's heap cap, so a page whose content stream inflates to 500 MB costs 500 MB: each
 * stream is decoded here first, counting bytes and holding none, and the count stops at the
 * limit. Images count towards the total only: a blank scanned page compresses as well as a bomb,
 * and pdf.js decodes images to draw them, not to read text.
 */
export async function assertPdfStreamsWithinLimits(bytes: Uint8Array, maxUncompressedBytes: number): Promise<void> {
  let total = 0;
  for (const stream of pdfStreams(bytes)) {
    if (stream.filters.length === 0) continue; // its bytes are already in the file
    const remaining = maxUncompressedBytes - total;
    const bombAt = stream.image ? Infinity : Math.max(RATIO_CHECK_MIN_BYTES, stream.data.length * MAX_COMPRESSION_RATIO);
    const size = await decodedSize(stream, Math.min(remaining, bombAt));
    if (size > bombAt) {
      throw new ExtractionError('too_large', 'The PDF contains a stream that unpacks to an implausible size (a possible PDF bomb).');
    }
    total += size;
    if (total > maxUncompressedBytes) {
      throw new ExtractionError('too_large', `The PDF unpacks to more than the ${formatBytes(maxUncompressedBytes)} limit.`);
    }
  }
}
