import { mean, mrrAt, ndcgAt, percentile, recallAt } from '../../src/evaluation/retrieval-metrics.js';

// Three relevant documents (a and c answer the query, b helps) and one judged non-relevant (d).
const judged = new Map([
  ['a', 2],
  ['b', 1],
  ['c', 2],
  ['d', 0],
]);

// log2(rank + 1) at ranks 2 and 5 (rank 1 divides by 1, rank 3 by 2)
const LOG3 = Math.log2(3);
const LOG6 = Math.log2(6);
// The best order a, c, b (grades 2, 2, 1): 2/1 + 2/log2(3) + 1/2 = 3.76186
const IDEAL = 2 + 2 / LOG3 + 1 / 2;

describe('ndcgAt', () => {
  it('gains the grade of each document, discounted by log2(rank + 1), over the ideal order of the judged grades', () => {
    const ranked = ['x', 'a', 'b', 'd', 'c'];
    // x misses, a (2) at rank 2, b (1) at rank 3: 2/log2(3) + 1/2 = 1.76186
    expect(ndcgAt(ranked, judged, 3)).toBeCloseTo((2 / LOG3 + 1 / 2) / IDEAL, 12);
    expect(ndcgAt(ranked, judged, 3)).toBeCloseTo(0.468348, 6);
    // d (0) at rank 4 gains nothing, c (2) at rank 5: + 2/log2(6)
    expect(ndcgAt(ranked, judged, 5)).toBeCloseTo((2 / LOG3 + 1 / 2 + 2 / LOG6) / IDEAL, 12);
    expect(ndcgAt(ranked, judged, 5)).toBeCloseTo(0.674019, 6);
  });

  it('tells the grades apart: a partly relevant document first scores below an answer first', () => {
    expect(ndcgAt(['a', 'c', 'b'], judged, 3)).toBeCloseTo(1, 12);
    // b (1) first, then a and c (2): 1 + 2/log2(3) + 2/2 = 3.26186
    expect(ndcgAt(['b', 'a', 'c'], judged, 3)).toBeCloseTo((1 + 2 / LOG3 + 1) / IDEAL, 12);
    expect(ndcgAt(['b', 'a', 'c'], judged, 3)).toBeCloseTo(0.867087, 6);
  });

  it('cuts the ideal ranking at k too, as trec_eval ndcg_cut does', () => {
    // ideal@1 is one grade-2 document: 2
    expect(ndcgAt(['b'], judged, 1)).toBe(0.5);
    expect(ndcgAt(['c', 'x'], judged, 1)).toBe(1);
    // ideal@2 is 2 + 2/log2(3): the third relevant document is beyond the cut
    expect(ndcgAt(['a', 'c'], judged, 2)).toBeCloseTo(1, 12);
  });

  it('is 0 when no relevant document is in the top k, or the query has none', () => {
    expect(ndcgAt(['x', 'y', 'd', 'a'], judged, 3)).toBe(0);
    expect(ndcgAt([], judged, 10)).toBe(0);
    expect(ndcgAt(['a', 'b'], new Map([['a', 0]]), 10)).toBe(0);
    expect(ndcgAt(['a'], new Map(), 10)).toBe(0);
  });

  it('counts a repeated id once, at its first position, before cutting at k', () => {
    // a, b, c once each: 2/1 + 1/log2(3) + 2/2 = 3.63093
    expect(ndcgAt(['a', 'a', 'b', 'a', 'c'], judged, 3)).toBeCloseTo((2 + 1 / LOG3 + 1) / IDEAL, 12);
    expect(ndcgAt(['a', 'a', 'b', 'a', 'c'], judged, 3)).toBeCloseTo(0.965195, 6);
    // a repeated answer gains nothing more
    expect(ndcgAt(['a', 'a', 'a'], judged, 3)).toBeCloseTo(2 / IDEAL, 12);
  });

  it('treats negative grades as no gain', () => {
    const withNegative = new Map([
      ['a', 2],
      ['z', -1],
    ]);
    expect(ndcgAt(['z', 'a'], withNegative, 2)).toBeCloseTo(2 / LOG3 / 2, 12);
  });
});

describe('recallAt', () => {
  it('is the share of the relevant documents (grade > 0) found in the first k', () => {
    const ranked = ['x', 'a', 'b', 'd', 'c'];
    expect(recallAt(ranked, judged, 1)).toBe(0);
    expect(recallAt(ranked, judged, 3)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranked, judged, 4)).toBeCloseTo(2 / 3, 12);
    expect(recallAt(ranked, judged, 5)).toBe(1);
    expect(recallAt(ranked, judged, 100)).toBe(1);
  });

  it('is 0 when no relevant document is in the top k, or the query has none', () => {
    expect(recallAt(['d', 'x', 'y', 'a'], judged, 3)).toBe(0);
    expect(recallAt(['a'], new Map([['a', 0]]), 10)).toBe(0);
  });

  it('counts a repeated id once', () => {
    expect(recallAt(['a', 'a', 'a', 'a'], judged, 4)).toBeCloseTo(1 / 3, 12);
    // the repeats of x do not take the slots of a and c
    expect(recallAt(['x', 'x', 'x', 'a', 'c'], judged, 3)).toBeCloseTo(2 / 3, 12);
  });
});

describe('mrrAt', () => {
  it('is the reciprocal rank of the first relevant document within k', () => {
    expect(mrrAt(['a', 'b'], judged, 10)).toBe(1);
    expect(mrrAt(['x', 'd', 'b', 'a'], judged, 10)).toBeCloseTo(1 / 3, 12);
    expect(mrrAt(['x', 'y', 'z', 'w', 'c'], judged, 5)).toBe(0.2);
  });

  it('is 0 when the first relevant document is beyond k, or there is none', () => {
    expect(mrrAt(['x', 'y', 'z', 'w', 'c'], judged, 4)).toBe(0);
    expect(mrrAt(['d', 'x'], judged, 10)).toBe(0);
    expect(mrrAt([], judged, 10)).toBe(0);
  });

  it('counts a repeated id once', () => {
    expect(mrrAt(['x', 'x', 'x', 'b'], judged, 2)).toBe(0.5);
  });
});

describe('k', () => {
  it.each([0, -1, 2.5, Number.NaN])('rejects k = %p', (k) => {
    expect(() => ndcgAt(['a'], judged, k)).toThrow(RangeError);
    expect(() => recallAt(['a'], judged, k)).toThrow(RangeError);
    expect(() => mrrAt(['a'], judged, k)).toThrow(RangeError);
  });
});

describe('mean', () => {
  it('averages', () => {
    expect(mean([1, 2, 3, 4])).toBe(2.5);
    expect(mean([0.25])).toBe(0.25);
  });

  it('rejects an empty list', () => {
    expect(() => mean([])).toThrow(RangeError);
  });
});

describe('percentile', () => {
  // nearest rank: the value at rank ceil(p / 100 * n) of the sorted values
  const values = [35, 20, 50, 15, 40];

  it('takes the nearest rank, whatever the order of the values', () => {
    expect(percentile(values, 0)).toBe(15);
    expect(percentile(values, 5)).toBe(15);
    expect(percentile(values, 20)).toBe(15);
    expect(percentile(values, 30)).toBe(20);
    expect(percentile(values, 40)).toBe(20);
    expect(percentile(values, 50)).toBe(35);
    expect(percentile(values, 95)).toBe(50);
    expect(percentile(values, 100)).toBe(50);
    expect(values).toEqual([35, 20, 50, 15, 40]);
  });

  it('does not round a whole rank up (7 percent of 100 values is rank 7)', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 7)).toBe(7);
    expect(percentile(hundred, 99)).toBe(99);
    expect(percentile(Array.from({ length: 1000 }, (_, i) => i + 1), 99.9)).toBe(999);
  });

  it('rejects an empty list and p outside [0, 100]', () => {
    expect(() => percentile([], 50)).toThrow(RangeError);
    expect(() => percentile(values, -1)).toThrow(RangeError);
    expect(() => percentile(values, 101)).toThrow(RangeError);
    expect(() => percentile(values, Number.NaN)).toThrow(RangeError);
  });
});
