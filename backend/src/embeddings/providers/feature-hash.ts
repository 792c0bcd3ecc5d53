// Bound once: a global lookup per character is ~10x slower inside a vm context (jest).
const imul = Math.imul;

/**
 * 32-bit FNV-1a over UTF-16 code units of text[start, end), seeded with a feature-kind tag so
 * that the word "ing" and the trigram "ing" land in different buckets. Deterministic across
 * processes and versions, which stored vectors depend on.
 */
export function fnv1a(tag: number, text: string, start = 0, end = text.length): number {
  let hash = (0x811c9dc5 ^ tag) >>> 0;
  hash = imul(hash, 0x01000193) >>> 0;
  for (let i = start; i < end; i++) {
    hash ^= text.charCodeAt(i);
    hash = imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/** Murmur3's finaliser: spreads FNV's weak low bits over the whole word before taking a bucket. */
export function mix32(value: number): number {
  let h = value >>> 0;
  h ^= h >>> 16;
  h = imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
