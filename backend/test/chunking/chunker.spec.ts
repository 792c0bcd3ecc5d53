import { chunkText, countTokens, DEFAULT_CHUNKING, type Chunk, type ChunkingOptions } from '../../src/chunking/chunker.js';
import { randomDocument, seededRandom } from './random-text.js';

const isSpace = (char: string | undefined): boolean => char !== undefined && /\s/.test(char);
const isLowSurrogate = (code: number): boolean => code >= 0xdc00 && code <= 0xdfff;

/** Prose of `count` sentences, each naming its number so tests can tell them apart. */
const prose = (count: number, from = 0): string =>
  Array.from({ length: count }, (_, i) => `Sentence ${from + i} explains how quarterly invoices reach each tenant.`).join(' ');

/** Violations of the invariants that hold for every input and every option set (plain checks: thousands per document). */
function invariantViolations(text: string, chunks: Chunk[], options: ChunkingOptions): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, problem: () => string): void => {
    if (!ok) problems.push(problem());
  };
  let covered = 0;
  chunks.forEach((chunk, i) => {
    const at = `chunk ${i} [${chunk.charStart}, ${chunk.charEnd})`;
    check(chunk.position === i, () => `${at}: position ${chunk.position}`);
    check(chunk.text === text.slice(chunk.charStart, chunk.charEnd), () => `${at}: text is not the slice`);
    check(chunk.text.length > 0, () => `${at}: empty`);
    check(!isSpace(chunk.text[0]) && !isSpace(chunk.text[chunk.text.length - 1]), () => `${at}: untrimmed`);
    const tokens = countTokens(chunk.text);
    check(chunk.tokenCount === tokens, () => `${at}: tokenCount ${chunk.tokenCount}, counted ${tokens}`);
    check(tokens <= options.chunkTokens, () => `${at}: ${tokens} tokens`);
    check(!isLowSurrogate(text.charCodeAt(chunk.charStart)) && !isLowSurrogate(text.charCodeAt(chunk.charEnd)), () => `${at}: splits a surrogate pair`);
    const previous = chunks[i - 1];
    if (previous !== undefined) {
      check(chunk.charStart > previous.charStart && chunk.charEnd > previous.charEnd, () => `${at}: does not advance`);
      if (chunk.charStart < previous.charEnd) {
        const overlap = countTokens(text.slice(chunk.charStart, previous.charEnd));
        check(overlap <= options.overlapTokens, () => `${at}: overlap of ${overlap} tokens`);
      }
    }
    for (let p = covered; p < chunk.charStart; p++) check(isSpace(text[p]), () => `offset ${p} is in no chunk`);
    covered = Math.max(covered, chunk.charEnd);
  });
  for (let p = covered; p < text.length; p++) check(isSpace(text[p]), () => `offset ${p} is in no chunk`);
  return problems;
}

const expectValidChunks = (text: string, chunks: Chunk[], options: ChunkingOptions): void =>
  expect(invariantViolations(text, chunks, options)).toEqual([]);

describe('chunkText', () => {
  it('holds its invariants on varied random documents (long words, CJK, emoji, tables, fences)', () => {
    const optionSets: ChunkingOptions[] = [
      { chunkTokens: 8, overlapTokens: 4 },
      { chunkTokens: 16, overlapTokens: 0 },
      { chunkTokens: 32, overlapTokens: 8 },
      { chunkTokens: 64, overlapTokens: 16 },
      { chunkTokens: 128, overlapTokens: 64 },
      DEFAULT_CHUNKING,
    ];
    for (let seed = 1; seed <= 60; seed++) {
      const random = seededRandom(seed);
      const text = randomDocument(random);
      const options = optionSets[seed % optionSets.length];
      const problems = invariantViolations(text, chunkText({ text }, options), options);
      expect({ seed, options, problems: problems.slice(0, 5) }).toEqual({ seed, options, problems: [] });
    }
  });

  it('is deterministic', () => {
    const text = randomDocument(seededRandom(7), 30);
    expect(chunkText({ text }, { chunkTokens: 64, overlapTokens: 16 })).toEqual(chunkText({ text }, { chunkTokens: 64, overlapTokens: 16 }));
  });

  it('returns no chunks for empty or blank text', () => {
    expect(chunkText({ text: '' })).toEqual([]);
    expect(chunkText({ text: ' \n\n\t\f ' })).toEqual([]);
  });

  it('packs small paragraphs together, and moves a paragraph that fits a chunk whole into the next', () => {
    const paragraphs = Array.from({ length: 30 }, (_, i) => prose(2, i * 2));
    const text = paragraphs.join('\n\n');
    const chunks = chunkText({ text }, { chunkTokens: 100, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.length).toBeLessThan(paragraphs.length);
    const paragraphStarts = new Set(paragraphs.map((_, i) => text.indexOf(paragraphs[i])));
    for (const chunk of chunks) {
      expect(paragraphStarts.has(chunk.charStart)).toBe(true);
      expect(paragraphStarts.has(chunk.charEnd + 2) || chunk.charEnd === text.length).toBe(true);
    }
  });

  it('splits an oversized paragraph at sentence ends, not mid-sentence', () => {
    const text = prose(60);
    const chunks = chunkText({ text }, { chunkTokens: 64, overlapTokens: 0 });
    expect(chunks.length).toBeGreaterThan(5);
    for (const chunk of chunks) {
      expect(chunk.text).toMatch(/^Sentence \d+ /);
      expect(chunk.text).toMatch(/tenant\.$/);
    }
  });

  it('starts every chunk after the first with a sentence- or word-aligned overlap from the previous chunk', () => {
    const text = prose(80);
    const options = { chunkTokens: 64, overlapTokens: 16 };
    const chunks = chunkText({ text }, options);
    expectValidChunks(text, chunks, options);
    for (const [i, chunk] of chunks.entries()) {
      if (i === 0) continue;
      const previous = chunks[i - 1];
      expect(chunk.charStart).toBeLessThan(previous.charEnd);
      expect(previous.text.endsWith(text.slice(chunk.charStart, previous.charEnd))).toBe(true);
      // Sentences here are ~14 tokens, so a whole one fits the 16-token overlap.
      expect(chunk.text).toMatch(/^Sentence \d+ /);
    }
  });

  it('falls back to a word boundary when the previous tail sentence is longer than the overlap', () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const options = { chunkTokens: 48, overlapTokens: 12 };
    const chunks = chunkText({ text: long }, options);
    expectValidChunks(long, chunks, options);
    for (const chunk of chunks.slice(1)) {
      expect(isSpace(long[chunk.charStart - 1])).toBe(true);
      expect(countTokens(long.slice(chunk.charStart, (chunks[chunk.position - 1]).charEnd))).toBeGreaterThan(6);
    }
  });

  it('starts a chunk at every heading, without overlap from the previous section, keeping stacked headings together', () => {
    const text = [
      '# Handbook',
      '## Billing',
      prose(12, 0),
      '## Support',
      prose(3, 100),
      '### Escalation',
      prose(2, 200),
      '```sh\n# install the CLI\nnpm install\n```',
      '## Security',
      prose(1, 300),
    ].join('\n\n');
    const options = { chunkTokens: 96, overlapTokens: 24 };
    const chunks = chunkText({ text }, options);
    expectValidChunks(text, chunks, options);
    const starts = chunks.map((c) => c.text.split('\n')[0]);
    expect(starts).toEqual(expect.arrayContaining(['# Handbook', '## Support', '### Escalation', '## Security']));
    // '# Handbook' directly followed by '## Billing' stays in one chunk with the first content.
    expect(chunks[0]?.text.startsWith('# Handbook\n\n## Billing\n\nSentence 0')).toBe(true);
    // A '#' comment inside a code fence is not a section.
    expect(starts).not.toContain('# install the CLI');
    for (const chunk of chunks) {
      const inner = chunk.text.split('\n').slice(1);
      expect(inner.filter((line) => /^## (Support|Security)|^### /.test(line))).toEqual([]);
    }
  });

  it('keeps a table that fits one chunk whole, and splits a larger one between rows', () => {
    const row = (i: number): string => `| ${i} | tenant-${i} | ${i * 7} EUR | paid |`;
    const small = ['| id | tenant | amount | status |', '|---|---|---|---|', ...Array.from({ length: 6 }, (_, i) => row(i))].join('\n');
    const text = `${prose(6)}\n\n${small}\n\n${prose(6, 50)}`;
    const options = { chunkTokens: 128, overlapTokens: 32 };
    expect(countTokens(small)).toBeGreaterThan(64);
    const chunks = chunkText({ text }, options);
    expectValidChunks(text, chunks, options);
    const start = text.indexOf(small);
    expect(chunks.some((c) => c.charStart <= start && c.charEnd >= start + small.length)).toBe(true);

    const large = ['| id | tenant | amount | status |', '|---|---|---|---|', ...Array.from({ length: 60 }, (_, i) => row(i))].join('\n');
    const largeText = `${prose(2)}\n\n${large}`;
    const largeChunks = chunkText({ text: largeText }, options);
    expectValidChunks(largeText, largeChunks, options);
    for (const chunk of largeChunks) {
      if (chunk.charStart > largeText.indexOf(large)) expect(largeText[chunk.charStart - 1]).toBe('\n');
      expect(chunk.text).toMatch(/\|$|\.$/);
    }
  });

  it('cuts text without spaces (a long token run, CJK, emoji) between tokens, never inside a character', () => {
    const texts = ['x'.repeat(20_000), '東京は晴れです'.repeat(800), '👨‍👩‍👧‍👦🇫🇷👍🏽'.repeat(300), `https://example.com/${'segment/'.repeat(400)}`];
    const options = { chunkTokens: 64, overlapTokens: 8 };
    for (const text of texts) {
      const chunks = chunkText({ text }, options);
      expectValidChunks(text, chunks, options);
      expect(chunks.length).toBeGreaterThan(3);
    }
    // ICU word boundaries for CJK: cuts land between words, not inside 晴れ or です.
    const cjk = chunkText({ text: '東京は晴れです'.repeat(800) }, { chunkTokens: 64, overlapTokens: 0 });
    for (const chunk of cjk) expect(chunk.text).toMatch(/^(東京|は|晴れ|です)/);
  });

  it('gives each chunk the page on which it starts', () => {
    const pageTexts = [prose(20, 0), prose(20, 100), prose(20, 200)];
    let text = '';
    const pages = pageTexts.map((pageText, i) => {
      if (i > 0) text += '\n\f';
      const start = text.length;
      text += pageText;
      return { page: i + 1, start, end: text.length };
    });
    const chunks = chunkText({ text, pages }, { chunkTokens: 64, overlapTokens: 16 });
    const pageAt = (offset: number): number | undefined => pages.find((p) => offset >= p.start && offset < p.end)?.page;
    expect(new Set(chunks.map((c) => c.pageNumber))).toEqual(new Set([1, 2, 3]));
    for (const chunk of chunks) {
      expect(chunk.pageNumber).toBe(pageAt(chunk.charStart));
      // the last page is the one holding the chunk's last character, or the page before a separator it ends on
      const lastPage = [...pages].reverse().find((p) => p.start < chunk.charEnd);
      expect(chunk.pageEnd).toBe(lastPage?.page);
    }
    expect(chunks.some((c) => c.pageEnd !== c.pageNumber)).toBe(true);
    expect(chunkText({ text }, { chunkTokens: 64, overlapTokens: 16 }).every((c) => c.pageNumber === null && c.pageEnd === null)).toBe(true);
  });

  it('rejects options it cannot honour', () => {
    expect(() => chunkText({ text: 'x' }, { chunkTokens: 4, overlapTokens: 0 })).toThrow(RangeError);
    expect(() => chunkText({ text: 'x' }, { chunkTokens: 9000, overlapTokens: 0 })).toThrow(RangeError);
    expect(() => chunkText({ text: 'x' }, { chunkTokens: 64, overlapTokens: 40 })).toThrow(RangeError);
    expect(() => chunkText({ text: 'x' }, { chunkTokens: 64.5, overlapTokens: 0 })).toThrow(RangeError);
  });

  it('defaults to 512-token chunks with a 64-token overlap', () => {
    expect(DEFAULT_CHUNKING).toEqual({ chunkTokens: 512, overlapTokens: 64 });
    const chunks = chunkText({ text: prose(400) });
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBeLessThanOrEqual(512);
    expect(Math.max(...chunks.map((c) => c.tokenCount))).toBeGreaterThan(400);
  });
});
