import { splitSentences, splitWords } from '../../src/chunking/text-structure.js';
import { seededRandom } from './random-text.js';

// The sentence end pattern before it stopped backtracking: quadratic in a run of punctuation not
// followed by whitespace, but the reference for where sentences end.
const BACKTRACKING_SENTENCE_END = /[.!?…]+["'”’»)\]]*(?=\s|$)|[。！？]+[」』”’)\]]*/gu;

function referenceSentences(text: string): string[] {
  const sentences: string[] = [];
  let start = 0;
  BACKTRACKING_SENTENCE_END.lastIndex = 0;
  for (let match = BACKTRACKING_SENTENCE_END.exec(text); match !== null; match = BACKTRACKING_SENTENCE_END.exec(text)) {
    const end = match.index + match[0].length;
    const sentence = text.slice(start, end).trim();
    if (sentence) sentences.push(sentence);
    start = end;
  }
  const rest = text.slice(start).trim();
  if (rest) sentences.push(rest);
  return sentences;
}

const whole = (text: string) => ({ start: 0, end: text.length });

describe('splitSentences', () => {
  it('ends sentences where the backtracking pattern did', () => {
    const pool = ['.', '.', '!', '?', '…', '"', "'", '”', '’', '»', ')', ']', ' ', ' ', '\n', 'a', 'b', '。', '！', '？', '」', '』', '東'];
    const random = seededRandom(31);
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(random() * 24) }, () => pool[Math.floor(random() * pool.length)]).join('').trim();
      const sentences = splitSentences(text, whole(text)).map((span) => text.slice(span.start, span.end));
      expect({ text, sentences }).toEqual({ text, sentences: referenceSentences(text) });
    }
  });

  it('reads a long run of punctuation with no space after it as part of one sentence', () => {
    const text = `Intro. ${'.'.repeat(100_000)}x then more. End`;
    expect(splitSentences(text, whole(text)).map((span) => text.slice(span.start, span.end))).toEqual([
      'Intro.',
      `${'.'.repeat(100_000)}x then more.`,
      'End',
    ]);
  });

  it('splits CJK sentences at full stops without spaces', () => {
    const text = '東京は晴れです。会議は明日です！資料は？';
    expect(splitSentences(text, whole(text)).map((span) => text.slice(span.start, span.end))).toEqual(['東京は晴れです。', '会議は明日です！', '資料は？']);
  });
});

describe('splitWords', () => {
  it('splits at whitespace only', () => {
    const text = ' alpha  beta\tγ\n東京は晴れ ';
    expect(splitWords(text, whole(text)).map((span) => text.slice(span.start, span.end))).toEqual(['alpha', 'beta', 'γ', '東京は晴れ']);
  });
});
