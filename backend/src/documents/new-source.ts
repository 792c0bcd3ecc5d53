import { sha256Hex as sha256 } from '../common/crypto/sha256-hex.js';

/** A source on its way in: an uploaded file, a URL to fetch, or pasted text. */
export interface NewSource {
  kind: 'file' | 'url' | 'text';
  filename: string | null;
  sourceUrl: string | null;
  mimeType: string | null;
  /** File bytes or the pasted text (UTF-8); null for URLs until fetched. */
  content: Buffer | null;
  /** sha-256 hex of the bytes (or of the normalised URL): duplicates are refused per tenant. */
  contentHash: string;
  byteSize: number;
}

export const fileSource = (filename: string | null, mimeType: string | null, bytes: Buffer): NewSource => ({
  kind: 'file',
  filename: filename?.slice(0, 255) ?? null,
  sourceUrl: null,
  mimeType: mimeType?.slice(0, 100) ?? null,
  content: bytes,
  contentHash: sha256(bytes),
  byteSize: bytes.length,
});

export const textSource = (text: string): NewSource => {
  const bytes = Buffer.from(text.normalize('NFC'), 'utf8');
  return { kind: 'text', filename: null, sourceUrl: null, mimeType: 'text/plain', content: bytes, contentHash: sha256(bytes), byteSize: bytes.length };
};

export const urlSource = (url: URL): NewSource => ({
  kind: 'url',
  filename: null,
  sourceUrl: url.toString(),
  mimeType: null,
  content: null,
  contentHash: sha256(`url:${url.toString()}`),
  byteSize: 0,
});
