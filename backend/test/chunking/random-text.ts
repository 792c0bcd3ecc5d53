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
