import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

import { MIN_PARTIAL_TOKENS, packContext, sourceLine } from '../../src/context/pack-context.js';
import type { Passage } from '../../src/context/passages.js';

/** js-tiktoken's count: the ground truth, independent of our tokenizer. */
const encoder = new Tiktoken(cl100k);
const tiktokenCount = (text: string): number => encoder.encode(text, [], []).length;

const passage = (n: number, text: string, extra: Partial<Passage> = {}): Passage => ({
  rank: n,
  score: 1 / n,
  chunks: [{ id: `chunk-${n}`, charStart: 1000 * n, charEnd: 1000 * n + text.length, pageStart: extra.pageStart ?? null, pageEnd: extra.pageEnd ?? null }],
  knowledgeBaseId: `kb-${n}`,
  title: `Source ${n}`,
  documentId: `doc-${n}`,
  filename: `file-${n}.pdf`,
  sourceUrl: null,
  pageStart: null,
  pageEnd: null,
  charStart: 1000 * n,
  charEnd: 1000 * n + text.length,
  text,
  ...extra,
});

const AWKWARD = [
  'Annual leave. Every employee receives twenty-five days of paid annual leave per calendar year. Up to five unused days carry over.',
  '员工每年享有二十五天带薪年假，须至少提前两周通过人力资源门户预订。未使用的假期最多五天可结转到下一年。病假另计，三天后需要医生证明。'.repeat(4),
  `Pneumonoultramicroscopicsilicovolcanoconiosis${'x'.repeat(3000)}andthensomemore`,
  '| Region | Q1 | Q2 | Q3 |\n|---|---|---|---|\n| North | 1,204 | 1,377 | 1,518 |\n| South | 998 | 1,050 | 1,130 |\n'.repeat(6),
  'Tabs\tand\ttrailing   spaces   \n\n\n   and emoji 🙂🚀 and combining e\u0301 marks.\n'.repeat(10),
  'Ordinary prose again: the calibration wizard starts from the settings menu, and the light turns green after ten seconds.',
].map((text, i) => passage(i + 1, text, i === 3 ? { pageStart: 4, pageEnd: 5 } : {}));

describe('packContext', () => {
  it.each([1, 5, 20, 47, 48, 60, 100, 200, 333, 500, 800, 1200, 2000, 5000])('never exceeds a budget of %i tokens, and counts exactly', (budget) => {
    const packed = packContext(AWKWARD, budget);
    expect(packed.tokens).toBe(tiktokenCount(packed.context));
    expect(packed.tokens).toBeLessThanOrEqual(budget);
    // every source is in the context under its marker, in order, once
    packed.sources.forEach((s, i) => expect(s.number).toBe(i + 1));
    expect(new Set(packed.sources.map((s) => s.documentId)).size).toBe(packed.sources.length);
    for (const s of packed.sources) {
      expect(packed.context).toContain(`${sourceLine(s.number, s)}\n${s.text}`);
      expect(s.charEnd - s.charStart).toBe(s.text.length);
    }
    expect(packed.context.match(/^\[\d+\] /gm) ?? []).toHaveLength(packed.sources.length);
  });

  it('packs everything when the budget allows, best first, naming each source', () => {
    const packed = packContext(AWKWARD, 100_000);
    expect(packed.sources.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(packed.sources.every((s) => !s.truncated)).toBe(true);
    expect(packed.context.startsWith('[1] Source 1 (file-1.pdf)\nAnnual leave.')).toBe(true);
    expect(packed.context).toContain('[4] Source 4 (file-4.pdf, pages 4-5)\n| Region');
  });

  it('skips a passage too big for what is left for smaller ones after it, and cuts the last one at a sentence end', () => {
    const big = passage(1, 'Long. '.repeat(2000));
    const small = passage(2, 'The short passage fits.');
    const prose = passage(3, Array.from({ length: 40 }, (_, i) => `Sentence ${i + 1} says something useful about the topic.`).join(' '));
    const packed = packContext([big, small, prose], 120);
    expect(packed.sources.map((s) => [s.documentId, s.truncated])).toEqual([
      ['doc-1', true],
    ]);
    // with less than MIN_PARTIAL_TOKENS left after a whole passage, later passages that fit whole still go in
    const tiny = passage(3, 'Tiny.');
    const both = packContext([small, tiny], 100_000).tokens;
    expect(both - packContext([small], 100_000).tokens).toBeLessThan(MIN_PARTIAL_TOKENS);
    const tight = packContext([small, big, tiny], both);
    expect(tight.sources.map((s) => [s.documentId, s.truncated])).toEqual([
      ['doc-2', false],
      ['doc-3', false],
    ]);
    const cutProse = packContext([small, prose], 150);
    const last = cutProse.sources.at(-1)!;
    expect(last.truncated).toBe(true);
    expect(prose.text.startsWith(last.text)).toBe(true);
    expect(last.text.endsWith('.')).toBe(true);
    expect(last.charEnd).toBe(prose.charStart + last.text.length);
  });

  it('gives the same context for the same passages', () => {
    expect(packContext(AWKWARD, 700)).toEqual(packContext(AWKWARD, 700));
  });
});
