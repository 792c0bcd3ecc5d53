import { stemEnglish } from './english-stemmer.js';
import { fnv1a } from './feature-hash.js';
import { ENGLISH_STOPWORDS } from './stopwords.js';

/** Feature kinds, as hash seeds. */
const WORD = 0x77;
const BIGRAM = 0x62;
const TRIGRAM = 0x63;

/**
 * Relative weights. Whole words carry the topic; bigrams reward shared phrases; character
 * trigrams catch what stemming misses (compounds, typos, other inflections), but a word yields
 * many of them, so each counts for little.
 */
export const FEATURE_WEIGHTS = { word: 1, bigram: 0.6, trigram: 0.22 } as const;

const TOKEN = /[\p{L}\p{N}]+/gu;
const COMBINING_MARKS = /\p{M}+/gu;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const DIGITS = /^\p{N}+$/u;
// Letters NFKD leaves whole.
const FOLDED: Record<string, string> = { ß: 'ss', æ: 'ae', œ: 'oe', ø: 'o', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const UNFOLDED = new RegExp(`[${Object.keys(FOLDED).join('')}]`, 'g');

/** Hashed lexical features of a text: feature hash → term frequency, per kind. */
export interface LexicalFeatures {
  words: Map<number, number>;
  bigrams: Map<number, number>;
  trigrams: Map<number, number>;
}

/** Lowercased, accent-folded ("Café" → "cafe", "Straße" → "strasse"). */
export function foldText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(UNFOLDED, (letter) => FOLDED[letter] ?? letter);
}

/**
 * Content terms in order: stemmed non-stopwords; a run of CJK (written without spaces) becomes
 * its overlapping character bigrams, the usual stand-in for word segmentation in search.
 */
export function contentTerms(text: string): { term: string; surface: string }[] {
  const terms: { term: string; surface: string }[] = [];
  for (const match of foldText(text).matchAll(TOKEN)) {
    const token = match[0];
    if (CJK.test(token)) {
      const chars = Array.from(token);
      if (chars.length === 1) terms.push({ term: token, surface: '' });
      for (let i = 0; i + 1 < chars.length; i++) terms.push({ term: `${chars[i]}${chars[i + 1]}`, surface: '' });
      continue;
    }
    if (ENGLISH_STOPWORDS.has(token) || (token.length === 1 && !DIGITS.test(token))) continue;
    terms.push({ term: stemEnglish(token), surface: DIGITS.test(token) ? '' : token });
  }
  return terms;
}

export function lexicalFeatures(text: string): LexicalFeatures {
  const features: LexicalFeatures = { words: new Map(), bigrams: new Map(), trigrams: new Map() };
  const add = (map: Map<number, number>, hash: number): void => {
    map.set(hash, (map.get(hash) ?? 0) + 1);
  };
  let previous: string | undefined;
  for (const { term, surface } of contentTerms(text)) {
    add(features.words, fnv1a(WORD, term));
    if (previous !== undefined) add(features.bigrams, fnv1a(BIGRAM, `${previous} ${term}`));
    previous = term;
    if (surface.length < 3) continue;
    // Trigrams of the unstemmed word with edge markers, so prefixes and suffixes count too.
    const marked = `^${surface}$`;
    for (let i = 0; i + 3 <= marked.length; i++) add(features.trigrams, fnv1a(TRIGRAM, marked, i, i + 3));
  }
  return features;
}
