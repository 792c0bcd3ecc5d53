import { chunkText } from '../../src/chunking/chunker.js';
import { dropNearDuplicates, mergeNeighbours, shortenPassage } from '../../src/context/passages.js';
import type { SearchHit } from '../../src/search/search-request.js';

const DOCUMENT = Array.from({ length: 60 }, (_, i) => `Paragraph ${i + 1} of the travel policy explains rule ${i + 1} in plain words, with an example and an exception.`).join('\n\n');

/** A hit for one chunk of a document, as search returns it. */
const hitOf = (documentId: string, chunk: { position: number; text: string; charStart: number; charEnd: number; pageNumber?: number | null; pageEnd?: number | null }, score: number): SearchHit => ({
  score,
  semanticRank: null,
  keywordRank: null,
  chunkId: `${documentId}-${chunk.position}`,
  content: chunk.text,
  snippet: '',
  knowledgeBaseId: `kb-${documentId}`,
  title: `Title of ${documentId}`,
  type: 'Policy',
  intent: 'Reference',
  tags: [],
  documentId,
  filename: `${documentId}.txt`,
  sourceUrl: null,
  position: chunk.position,
  pageStart: chunk.pageNumber ?? null,
  pageEnd: chunk.pageEnd ?? null,
  charStart: chunk.charStart,
  charEnd: chunk.charEnd,
});

describe('mergeNeighbours', () => {
  const chunks = chunkText({ text: DOCUMENT }, { chunkTokens: 120, overlapTokens: 30 });

  it('merges overlapping neighbours of a document into one passage holding the document text once', () => {
    expect(chunks.length).toBeGreaterThan(6);
    const [c2, c3, c5] = [chunks[2], chunks[3], chunks[5]];
    expect(c3.charStart).toBeLessThan(c2.charEnd); // they overlap
    const passages = mergeNeighbours([hitOf('doc', c5, 0.9), hitOf('doc', c3, 0.8), hitOf('doc', c2, 0.7)]);
    expect(passages).toHaveLength(2);
    const [best, merged] = passages;
    expect(best).toEqual(expect.objectContaining({ rank: 1, text: c5.text }));
    expect(best?.chunks.map((c) => c.id)).toEqual(['doc-5']);
    expect(merged).toEqual(expect.objectContaining({ rank: 2, score: 0.8, charStart: c2.charStart, charEnd: c3.charEnd }));
    expect(merged?.chunks.map((c) => c.id)).toEqual(['doc-2', 'doc-3']);
    expect(merged?.text).toBe(DOCUMENT.slice(c2.charStart, c3.charEnd));
  });

  it('keeps a chunk contained in another as part of it, and spans the pages of both', () => {
    const outer = { position: 0, text: DOCUMENT.slice(0, 400), charStart: 0, charEnd: 400, pageNumber: 1, pageEnd: 2 };
    const inner = { position: 1, text: DOCUMENT.slice(100, 300), charStart: 100, charEnd: 300, pageNumber: 2, pageEnd: 2 };
    const next = { position: 2, text: DOCUMENT.slice(400, 600), charStart: 400, charEnd: 600, pageNumber: 3, pageEnd: 3 };
    const [passage, ...rest] = mergeNeighbours([hitOf('doc', inner, 3), hitOf('doc', outer, 2), hitOf('doc', next, 1)]);
    expect(rest).toEqual([]);
    expect(passage).toEqual(expect.objectContaining({ text: DOCUMENT.slice(0, 600), pageStart: 1, pageEnd: 3, rank: 1 }));
    expect(passage?.chunks.map((c) => c.id)).toEqual(['doc-0', 'doc-1', 'doc-2']);
    // cut inside the first chunk: only its chunks and pages remain
    const short = shortenPassage(passage, 50);
    expect(short).toEqual(expect.objectContaining({ text: DOCUMENT.slice(0, 50), charEnd: 50, pageStart: 1, pageEnd: 2 }));
    expect(short.chunks.map((c) => c.id)).toEqual(['doc-0']);
  });

  it('never merges across documents or over a gap', () => {
    const [a, b] = [chunks[0], chunks[4]];
    const passages = mergeNeighbours([hitOf('one', a, 2), hitOf('two', a, 1.5), hitOf('one', b, 1)]);
    expect(passages.map((p) => [p.documentId, p.chunks.map((c) => c.id)])).toEqual([
      ['one', ['one-0']],
      ['two', ['two-0']],
      ['one', ['one-4']],
    ]);
  });
});

describe('dropNearDuplicates', () => {
  const passageOf = (documentId: string, text: string, rank: number) =>
    mergeNeighbours([hitOf(documentId, { position: 0, text, charStart: 0, charEnd: text.length }, 1 / rank)])[0];

  it('keeps the better-ranked copy of a passage found in two documents, and passages that differ', () => {
    const paragraph = 'Hotel costs above 180 euros per night need a director’s approval before booking; economy class is the rule for flights under six hours.';
    const passages = [passageOf('a', paragraph, 1), passageOf('b', `Travel rules. ${paragraph.toUpperCase()}`, 2), passageOf('c', 'Expenses are reimbursed within thirty days of submission with receipts attached.', 3)];
    expect(dropNearDuplicates(passages).map((p) => p.documentId)).toEqual(['a', 'c']);
  });

  it('recognises duplicates in text written without spaces', () => {
    const chinese = '员工每年享有二十五天带薪年假，须至少提前两周通过人力资源门户预订。未使用的假期最多五天可结转到下一年。';
    const passages = [passageOf('a', chinese, 1), passageOf('b', `${chinese}病假另计。`, 2), passageOf('c', '差旅费用须在三十天内凭明细收据报销。', 3)];
    expect(dropNearDuplicates(passages).map((p) => p.documentId)).toEqual(['a', 'c']);
  });
});
