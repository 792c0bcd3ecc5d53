/** Deterministic pseudo-random numbers (mulberry32), so a failing property names its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)];
const between = (random: () => number, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));

const LATIN = ['invoice', 'tenant', 'quarterly', 'revenue', 'the', 'of', 'naïve', 'café', 'Zürich', 'résumé', 'a', 'data', 'pipeline', 'über'];
const CJK = ['東京', 'は', '晴れ', 'です', '会議', '資料', '数据', '检索', '增强', '生成', '한국어', '문서'];
const EMOJI = ['😀', '👍🏽', '👨‍👩‍👧‍👦', '🇫🇷', '❤️', '🧑‍💻', 'é', 'ñ'];

function longWord(random: () => number): string {
  const alphabet = pick(random, ['abcdefghijklmnopqrstuvwxyz', 'ACGT', 'abc123+/=', '東京晴資料']);
  let word = '';
  const length = between(random, 30, 600);
  for (let i = 0; i < length; i++) word += alphabet[Math.floor(random() * alphabet.length)];
  return word;
}

function word(random: () => number): string {
  const roll = random();
  if (roll < 0.65) return pick(random, LATIN);
  if (roll < 0.8) return Array.from({ length: between(random, 1, 12) }, () => pick(random, CJK)).join('');
  if (roll < 0.9) return pick(random, EMOJI).repeat(between(random, 1, 4));
  if (roll < 0.98) return String(between(random, 0, 1_000_000));
  return longWord(random);
}

function sentence(random: () => number): string {
  const words = Array.from({ length: between(random, 1, 30) }, () => word(random));
  return words.join(pick(random, [' ', ' ', ' ', '  ', '\t'])) + pick(random, ['.', '!', '?', '。', '', '...']);
}

function block(random: () => number): string {
  const roll = random();
  if (roll < 0.12) return `${'#'.repeat(between(random, 1, 4))} ${sentence(random)}`;
  if (roll < 0.22) {
    const columns = between(random, 2, 5);
    const row = (): string => `| ${Array.from({ length: columns }, () => word(random)).join(' | ')} |`;
    return [row(), `|${'---|'.repeat(columns)}`, ...Array.from({ length: between(random, 1, 25) }, row)].join('\n');
  }
  if (roll < 0.27) return ['```sh', '# not a heading', ...Array.from({ length: between(random, 1, 6) }, () => sentence(random)), '```'].join('\n');
  if (roll < 0.35) return Array.from({ length: between(random, 2, 8) }, () => `- ${sentence(random)}`).join('\n');
  return Array.from({ length: between(random, 1, 12) }, () => sentence(random)).join(' ');
}

/** A document of varied structure and scripts: headings, tables, fences, lists, CJK, emoji, long words. */
export function randomDocument(random: () => number, blocks = between(random, 1, 24)): string {
  const separator = (): string => pick(random, ['\n\n', '\n\n', '\n', '\r\n\r\n', '\n\n\n', '\n \n', '\f']);
  return Array.from({ length: blocks }, () => block(random)).join(separator());
}

const SYLLABLES = ['in', 'vo', 'ice', 'ten', 'ant', 'qua', 'ter', 'ly', 're', 've', 'nue', 'da', 'ta', 'pipe', 'line', 'search'];

/** English-like prose: paragraphs of sentences of made-up words, with an occasional heading. */
export function englishProse(random: () => number, length: number): string {
  const vocabulary = Array.from({ length: 3000 }, () =>
    Array.from({ length: 1 + Math.floor(random() * 4) }, () => pick(random, SYLLABLES)).join(''),
  );
  const paragraphs: string[] = [];
  for (let total = 0; total < length; ) {
    const sentences = Array.from({ length: between(random, 2, 7) }, () => {
      const words = Array.from({ length: between(random, 6, 23) }, () => pick(random, vocabulary));
      return `${words.join(' ')}.`;
    });
    const paragraph = (random() < 0.05 ? '## A section heading\n\n' : '') + sentences.join(' ');
    paragraphs.push(paragraph);
    total += paragraph.length + 2;
  }
  return paragraphs.join('\n\n').slice(0, length);
}

/** `length` characters drawn uniformly from `alphabet` (a string of BMP characters). */
function drawn(random: () => number, alphabet: string, length: number): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push(alphabet[Math.floor(random() * alphabet.length)]);
  return parts.join('');
}

/** Random CJK unified ideographs, no punctuation or spaces: one pre-tokenised piece, ~2.3 tokens a character. */
export function randomCjk(random: () => number, length: number): string {
  const parts: string[] = [];
  for (let i = 0; i < length; i++) parts.push(String.fromCharCode(0x4e00 + Math.floor(random() * 0x5200)));
  return parts.join('');
}

const HANZI = '的一是了我不人在他有这个上们来到时大地为子中你说生国年着就那和要她出也得里后自以会家可下而过天去能对小多然于心学么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感数据检索增强生成';

/** Chinese prose: clauses of common characters separated by ，and 、, sentences ended by 。, rare paragraph breaks. */
export function chineseProse(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    text += drawn(random, HANZI, between(random, 4, 24));
    const roll = random();
    text += roll < 0.55 ? '，' : roll < 0.7 ? '、' : '。';
    if (roll >= 0.7 && random() < 0.05) text += '\n\n';
  }
  return text.slice(0, length);
}

const JAPANESE = ['東京', 'は', '晴れ', 'です', '会議', 'の', '資料', 'を', '確認', 'しました', 'データ', 'ベース', '検索', 'が', 'に', 'で', 'ます', '私', '今日', '明日', 'について', 'プロジェクト', '進捗', '報告', 'カタカナ', 'ひらがな'];

/** Japanese: kana and kanji words run together, with 、 and 。 but no spaces. */
export function japaneseProse(random: () => number, length: number): string {
  let text = '';
  while (text.length < length) {
    text += Array.from({ length: between(random, 3, 12) }, () => pick(random, JAPANESE)).join('');
    text += random() < 0.6 ? '、' : '。';
  }
  return text.slice(0, length);
}

const THAI = ['สวัสดี', 'ครับ', 'ประเทศไทย', 'ภาษา', 'การ', 'ทำงาน', 'ของ', 'เรา', 'ที่', 'มี', 'ความสุข', 'และ', 'กับ', 'ใน', 'เป็น', 'ได้', 'จะ', 'ไม่', 'คน', 'นี้', 'ให้', 'ว่า', 'แล้ว', 'วันนี้', 'เมือง', 'บริษัท', 'ข้อมูล', 'ระบบ', 'เอกสาร', 'น้ำ'];

/** Thai words (with their combining vowels and tone marks) run together without a single space. */
export function thaiText(random: () => number, length: number): string {
  const parts: string[] = [];
  for (let total = 0; total < length; ) {
    const word = pick(random, THAI);
    parts.push(word);
    total += word.length;
  }
  return parts.join('').slice(0, length);
}

/** A base64 blob: one space-free "word" of letters, digits, `+` and `/`. */
export function base64Blob(random: () => number, length: number): string {
  return drawn(random, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', length);
}

/** Random lowercase letters: one space-free word that cl100k pre-tokenises as a single piece. */
export function letterRun(random: () => number, length: number): string {
  return drawn(random, 'abcdefghijklmnopqrstuvwxyz', length);
}

const EMOJI_SEQUENCES = ['👨‍👩‍👧‍👦', '🧑🏽‍💻', '👍🏽', '🇫🇷', '🇯🇵', '🏳️‍🌈', '❤️‍🔥', '😀', '👩‍❤️‍💋‍👨', 'é'];
// Each starts and ends with a pictograph (or its modifier), so a ZWJ between two joins them.
const PICTOGRAPHS = ['👨‍👩‍👧‍👦', '🧑🏽‍💻', '👍🏽', '🏳️‍🌈', '❤️‍🔥', '😀', '👩‍❤️‍💋‍👨'];

/** Emoji with ZWJ, skin tones and flags, no spaces; `joined` fuses pictographs with ZWJ into one grapheme cluster. */
export function emojiRun(random: () => number, length: number, joined = false): string {
  const parts: string[] = [];
  for (let total = 0; total < length; ) {
    const part = joined ? (parts.length > 0 ? '\u200d' : '') + pick(random, PICTOGRAPHS) : pick(random, EMOJI_SEQUENCES);
    parts.push(part);
    total += part.length;
  }
  return parts.join('');
}
