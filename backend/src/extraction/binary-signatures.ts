/**
 * Formats we recognise only to refuse them by name ("detected: Windows executable"), checked
 * before any attempt to read the bytes as text. Only signatures specific enough that no text
 * document starts with them.
 */
interface Signature {
  name: string;
  offset?: number;
  bytes: readonly number[];
  /** Extra check for short signatures that a text file could start with by chance. */
  also?: (bytes: Uint8Array) => boolean;
}

/** Binary headers are full of zero bytes; text never has them. */
const hasNulNearStart = (bytes: Uint8Array): boolean => bytes.subarray(0, 64).includes(0);

const ascii = (text: string): number[] => Array.from(text, (c) => c.charCodeAt(0));

const SIGNATURES: readonly Signature[] = [
  { name: 'Windows executable', bytes: ascii('MZ'), also: hasNulNearStart },
  { name: 'ELF executable', bytes: [0x7f, ...ascii('ELF')] },
  { name: 'Mach-O executable', bytes: [0xcf, 0xfa, 0xed, 0xfe] },
  { name: 'Mach-O executable', bytes: [0xce, 0xfa, 0xed, 0xfe] },
  { name: 'Mach-O executable', bytes: [0xfe, 0xed, 0xfa, 0xcf] },
  { name: 'Mach-O or Java class file', bytes: [0xca, 0xfe, 0xba, 0xbe] },
  { name: 'WebAssembly module', bytes: [0x00, ...ascii('asm')] },
  { name: 'PNG image', bytes: [0x89, ...ascii('PNG'), 0x0d, 0x0a, 0x1a, 0x0a] },
  { name: 'JPEG image', bytes: [0xff, 0xd8, 0xff] },
  { name: 'GIF image', bytes: ascii('GIF8') },
  { name: 'TIFF image', bytes: [...ascii('II'), 0x2a, 0x00] },
  { name: 'TIFF image', bytes: [...ascii('MM'), 0x00, 0x2a] },
  { name: 'WebP image', offset: 8, bytes: ascii('WEBP') },
  { name: 'ICO image', bytes: [0x00, 0x00, 0x01, 0x00] },
  { name: 'WAV audio', offset: 8, bytes: ascii('WAVE') },
  { name: 'AVI video', offset: 8, bytes: ascii('AVI ') },
  { name: 'MP4/MOV video', offset: 4, bytes: ascii('ftyp') },
  { name: 'MP3 audio', bytes: ascii('ID3'), also: (b) => (b[3] ?? 0) <= 5 && b[4] === 0 },
  { name: 'Ogg media', bytes: ascii('OggS') },
  { name: 'FLAC audio', bytes: ascii('fLaC') },
  { name: 'Matroska/WebM video', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { name: 'gzip archive', bytes: [0x1f, 0x8b] },
  { name: 'bzip2 archive', bytes: ascii('BZh'), also: (b) => (b[3] ?? 0) >= 0x31 && (b[3] ?? 0) <= 0x39 && (b[4] === 0x31 || b[4] === 0x17) },
  { name: 'xz archive', bytes: [0xfd, ...ascii('7zXZ'), 0x00] },
  { name: 'zstd archive', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
  { name: '7-Zip archive', bytes: [...ascii('7z'), 0xbc, 0xaf, 0x27, 0x1c] },
  { name: 'RAR archive', bytes: ascii('Rar!\x1a\x07') },
  { name: 'tar archive', offset: 257, bytes: ascii('ustar') },
  { name: 'legacy Microsoft Office document (.doc/.xls/.ppt)', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { name: 'SQLite database', bytes: ascii('SQLite format 3\x00') },
  { name: 'RTF document', bytes: ascii('{\\rtf') },
  { name: 'PostScript document', bytes: ascii('%!PS') },
];

/** The name of the known non-document format these bytes start with, or null. */
export function matchBinarySignature(bytes: Uint8Array): string | null {
  for (const signature of SIGNATURES) {
    const offset = signature.offset ?? 0;
    if (signature.bytes.every((b, i) => bytes[offset + i] === b) && (signature.also?.(bytes) ?? true)) return signature.name;
  }
  return null;
}
