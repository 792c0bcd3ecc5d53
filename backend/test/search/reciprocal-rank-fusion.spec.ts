import { reciprocalRankFusion } from '../../src/search/reciprocal-rank-fusion.js';

describe('reciprocalRankFusion', () => {
  it('sums weight / (k + rank) over the lists holding an id', () => {
    const fused = reciprocalRankFusion(
      [
        { ids: ['a', 'b', 'c'], weight: 1 },
        { ids: ['c', 'a'], weight: 1 },
      ],
      60,
    );
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b']);
    expect(fused[0]).toEqual({ id: 'a', score: 1 / 61 + 1 / 62, ranks: [1, 2] });
    expect(fused[1]).toEqual({ id: 'c', score: 1 / 63 + 1 / 61, ranks: [3, 1] });
    expect(fused[2]).toEqual({ id: 'b', score: 1 / 62, ranks: [2, null] });
  });

  it('weights move a list up or down, and a zero weight keeps its ranks but adds nothing', () => {
    const lists = (w: number) => [
      { ids: ['a', 'b'], weight: 1 },
      { ids: ['b', 'a'], weight: w },
    ];
    expect(reciprocalRankFusion(lists(2), 60)[0]?.id).toBe('b');
    const silent = reciprocalRankFusion(lists(0), 60);
    expect(silent.map((f) => f.id)).toEqual(['a', 'b']);
    expect(silent[0]?.ranks).toEqual([1, 2]);
  });

  it('a smaller k rewards the top ranks more, a larger one agreement between lists', () => {
    // a tops one list; b is fourth in both
    const lists = [
      { ids: ['a', 'x', 'y', 'b'], weight: 1 },
      { ids: ['z', 'w', 'v', 'b'], weight: 1 },
    ];
    expect(reciprocalRankFusion(lists, 1)[0]?.id).toBe('a'); // 1/2 against 2/5
    expect(reciprocalRankFusion(lists, 60)[0]?.id).toBe('b'); // 1/61 against 2/64
  });

  it('breaks ties deterministically and counts a repeated id once per list', () => {
    expect(reciprocalRankFusion([{ ids: ['b', 'a'], weight: 1 }, { ids: ['a', 'b'], weight: 1 }], 60).map((f) => f.id)).toEqual(['b', 'a']);
    const repeated = reciprocalRankFusion([{ ids: ['a', 'a', 'b'], weight: 1 }], 60);
    expect(repeated.find((f) => f.id === 'a')?.score).toBe(1 / 61);
    expect(reciprocalRankFusion([], 60)).toEqual([]);
  });
});
