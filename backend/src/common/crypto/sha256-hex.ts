import { createHash } from 'node:crypto';

/** sha-256 as lower-case hex: content hashes of sources and chunks, migration checksums. */
export const sha256Hex = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');
