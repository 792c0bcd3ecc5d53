import { graphemeBoundaryAtOrBefore, isPlainBoundary, nextGraphemeBoundary } from '../../src/chunking/grapheme-boundary.js';
import { boundariesIn } from '../../src/chunking/segments.js';
import { lastWordBoundary } from '../../src/chunking/word-boundary.js';
import { seededRandom } from './random-text.js';

/** Boundaries of the whole string from Intl.Segmenter in one go: the reference (fine for short strings). */
function wholeBoundaries(text: string, granularity: 'word' | 'grapheme'): number[] {
  const segments = [...new Intl.Segmenter('und', { granularity }).segment(text)];
  return [...segments.map((s) => s.index).filter((index) => index > 0), text.length];
}

// What makes grapheme segmentation hard: ZWJ sequences, skin tones, flags (regional indicator
// pairs), combining marks, Hangul jamo, CR LF, Thai vowels and tone marks, and plain text.
const POOL = [
  '👨‍👩‍👧‍👦', '👍🏽', '🇫🇷', '🇯', '🇵', '\u200d', '\ufe0f', '❤️‍🔥', '😀', 'e\u0301', '\u0301', '\u0308',
  '\u1100', '\u1161', '\u11a8', '한', '\r\n', '\r', '\n', 'น้ำ', 'ที่', 'ก', '\u0e31', '\u0e33',
  'a', 'b', ' ', '.', '東', '京', '。', 'カ', '\u3099', 'ｶ', '\uff9e', 'é', '©', '\u00ad',
];

function randomText(random: () => number, length: number): string {
  const parts: string[] = [];
  for (let total = 0; total < length; ) {
    const part = POOL[Math.floor(random() * POOL.length)];
    parts.push(part);
    total += part.length;
  }
  return parts.join('');
}

describe('grapheme boundaries in windows', () => {
  it('segments a long text in blocks exactly as Intl.Segmenter does the whole of it', () => {
    const random = seededRandom(21);
    for (let i = 0; i < 40; i++) {
      const text = randomText(random, 100 + Math.floor(random() * 1500));
      expect(boundariesIn(text, 0, text.length, 'grapheme')).toEqual(wholeBoundaries(text, 'grapheme'));
    }
  });

  it('finds the largest boundary at or before an offset, and where a cluster ends', () => {
    const random = seededRandom(22);
    for (let i = 0; i < 40; i++) {
      const text = randomText(random, 50 + Math.floor(random() * 600));
      const whole = wholeBoundaries(text, 'grapheme');
      for (let k = 0; k < 30; k++) {
        const at = Math.floor(random() * (text.length + 1));
        const expected = [...whole].reverse().find((boundary) => boundary <= at);
        expect({ at, found: graphemeBoundaryAtOrBefore(text, 0, at, text.length) }).toEqual({ at, found: expected });
      }
      expect(nextGraphemeBoundary(text, 0, text.length)).toBe(whole[0]);
    }
  });

  it('finds where a cluster longer than a block ends', () => {
    const cluster = `😀${'\u200d😀'.repeat(600)}`;
    const text = `${cluster}ab`;
    expect(nextGraphemeBoundary(text, 0, text.length)).toBe(cluster.length);
    expect(graphemeBoundaryAtOrBefore(text, 0, cluster.length - 1, text.length)).toBeUndefined();
  });

  it('takes plain boundaries for boundaries without segmenting, and only real ones', () => {
    const samples = [' ', '~', 'a', 'Z', '\u00a0', 'é', '\u00ff', '©', '、', '。', '「', 'ぁ', 'ゖ', 'ァ', 'ヺ', 'ー', '㐀', '一', '鿿', '가', '힣', '！', '｠', 'ก', 'ะ', 'า', '฿', 'ๅ', 'ๆ', '๏', '๛'];
    for (const left of samples) {
      for (const right of samples) expect({ pair: left + right, plain: isPlainBoundary(left + right, 1), breaks: wholeBoundaries(left + right, 'grapheme').length === 2 }).toEqual({ pair: left + right, plain: true, breaks: true });
    }
    // Never between a character and what extends it.
    for (const text of ['e\u0301', 'カ\u3099', 'ｶ\uff9e', '\r\n', 'ก\u0e33', 'ก\u0e31', '\u1100\u1161', 'a\u200d', '\u00ad']) {
      expect({ text, plain: isPlainBoundary(text, 1) }).toEqual({ text, plain: false });
    }
  });
});

describe('word boundaries near a cut', () => {
  it('finds the largest word boundary in a range, looking back through windows', () => {
    const text = `${'lorem ipsum dolor, sit amet; '.repeat(20)}${'x'.repeat(500)}/end`;
    const whole = wholeBoundaries(text, 'word');
    const random = seededRandom(23);
    for (let k = 0; k < 100; k++) {
      const high = Math.floor(random() * text.length);
      const low = Math.max(1, high - Math.floor(random() * 300));
      const expected = [...whole].reverse().find((boundary) => boundary <= high && boundary >= low);
      expect({ low, high, found: lastWordBoundary(text, low, high, 0, text.length) }).toEqual({ low, high, found: expected });
    }
  });

  it('finds none inside one long word', () => {
    const text = 'y'.repeat(2_000);
    expect(lastWordBoundary(text, 1, 1_999, 0, text.length)).toBeUndefined();
  });

  it('keeps CJK dictionary words whole', () => {
    const text = '東京は晴れです'.repeat(40);
    for (let high = 20; high < text.length - 20; high += 7) {
      const found = lastWordBoundary(text, high - 6, high, 0, text.length);
      expect(found).toBeDefined();
      expect(text.slice(found)).toMatch(/^(東京|は|晴れ|です)/);
    }
  });
});
