import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

import { chunkText, countTokens, DEFAULT_CHUNKING } from '../../src/chunking/chunker.js';
import { tokenEndOffsets, tokenEnds } from '../../src/chunking/tokenizer.js';
import { englishProse, seededRandom } from './random-text.js';

const POOL = [
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
  ...'           \n\n\t\r.,;:!?\'"()[]{}<>|-_=+*/\\#@$%^&~`',
  ...['é', 'ü', 'ß', 'ñ', 'e\u0301', '東', '京', 'は', '晴', '。', '한', '국', 'й', 'ж', 'ا', 'ب'],
  ...['😀', '👍🏽', '👨‍👩‍👧', '🇫🇷', '\u200d', '\ufe0f', '\ud83d', "'s", "'ll", '<|endoftext|>', '<|fim_prefix|>'],
];

function randomString(random: () => number, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) text += POOL[Math.floor(random() * POOL.length)];
  return text;
}

describe('countTokens (cl100k_base)', () => {
  const reference = new Tiktoken(cl100k);

  it('agrees with js-tiktoken on varied text, special-token text counted as plain text', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 400; i++) {
      const text = randomString(random, Math.floor(random() * 200));
      expect({ text, count: countTokens(text) }).toEqual({ text, count: reference.encode(text, [], []).length });
    }
    expect(countTokens('hello world')).toBe(2);
    expect(countTokens('')).toBe(0);
  });

  it('agrees with js-tiktoken on long pieces that byte-pair merging must work through', () => {
    for (const text of ['x'.repeat(700), 'antidisestablishmentarianism'.repeat(20), '東京晴資料'.repeat(60), '😀'.repeat(100)]) {
      expect(countTokens(text)).toBe(reference.encode(text, [], []).length);
    }
  });

  it('agrees with js-tiktoken on pieces around the size where merging switches from a scan to a heap', () => {
    const random = seededRandom(11);
    const alphabets = ['abcdefghijklmnopqrstuvwxyz', '東京晴資料检索数据', 'éüßñ', '😀👍🏽🇫🇷'];
    for (let i = 0; i < 300; i++) {
      const alphabet = [...(alphabets[i % alphabets.length])];
      const length = 1 + Math.floor(random() * 60);
      const text = Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
      expect({ text, count: countTokens(text) }).toEqual({ text, count: reference.encode(text, [], []).length });
    }
  });

  it('agrees with js-tiktoken on a 1,000-character CJK piece and a 3,000-letter word', () => {
    const random = seededRandom(12);
    const cjk = Array.from({ length: 1_000 }, () => String.fromCharCode(0x4e00 + Math.floor(random() * 0x5200))).join('');
    const word = Array.from({ length: 3_000 }, () => String.fromCharCode(97 + Math.floor(random() * 26))).join('');
    for (const text of [cjk, word]) expect(countTokens(text)).toBe(reference.encode(text, [], []).length);
  });

  it('counts a 20,000-character piece (js-tiktoken merges one in quadratic time: 2.5 s for 2,000 CJK characters)', () => {
    const text = '東京晴資料检索'.repeat(3000);
    const count = countTokens(text);
    expect(count).toBeGreaterThan(10_000);
    expect(tokenEnds(text).tokensThrough.at(-1)).toBe(count);
  });

  it('reports token end offsets on code-point boundaries, one per token', () => {
    for (const text of ['naïve café 😀 東京は晴れ', 'plain ascii text, with punctuation!', '👨‍👩‍👧'.repeat(5)]) {
      const ends = tokenEndOffsets(text);
      expect(ends[ends.length - 1]).toBe(text.length);
      expect([...ends].sort((a, b) => a - b)).toEqual(ends);
      // A token ending inside a multi-byte character shares that character's end offset.
      expect(new Set(ends).size).toBeLessThanOrEqual(countTokens(text));
      for (const end of ends) expect(text.charCodeAt(end) >= 0xdc00 && text.charCodeAt(end) <= 0xdfff).toBe(false);
    }
    expect(tokenEndOffsets('hello world')).toEqual([5, 11]);
  });
});

describe('tokenEnds', () => {
  it('gives with each token end the number of tokens ended by then, collapsing tokens that end inside a character', () => {
    const random = seededRandom(13);
    for (let i = 0; i < 100; i++) {
      const text = randomString(random, Math.floor(random() * 200));
      const { offsets, tokensThrough } = tokenEnds(text);
      expect(offsets).toEqual(tokenEndOffsets(text));
      expect(tokensThrough.length).toBe(offsets.length);
      expect(tokensThrough.at(-1) ?? 0).toBe(countTokens(text));
      for (let k = 1; k < offsets.length; k++) {
        expect((offsets[k]) > (offsets[k - 1]) && (tokensThrough[k]) > (tokensThrough[k - 1])).toBe(true);
      }
    }
    expect(tokenEnds('hello world')).toEqual({ offsets: [5, 11], tokensThrough: [1, 2] });
    // 東 is three bytes and more than one token: one offset for all of them.
    const east = tokenEnds('東');
    expect(east.offsets).toEqual([1]);
    expect(east.tokensThrough).toEqual([countTokens('東')]);
  });
});

describe('chunking prose', () => {
  // Its throughput is measured by bench/chunking.bench.ts: a time limit here would fail on a busy machine.
  it('chunks 100,000 characters of prose into more than 40 chunks of at most 512 tokens', () => {
    const text = englishProse(seededRandom(3), 100_000);
    const chunks = chunkText({ text });
    expect(chunks.length).toBeGreaterThan(40);
    expect(Math.max(...chunks.map((chunk) => chunk.tokenCount))).toBeLessThanOrEqual(DEFAULT_CHUNKING.chunkTokens);
  });
});
