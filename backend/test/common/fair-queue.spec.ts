import { FairQueue } from '../../src/common/scheduling/fair-queue.js';

describe('FairQueue', () => {
  it('serves owners in turn, then the groups of each owner in turn, each group first in first out', () => {
    const queue = new FairQueue<string>();
    for (let page = 1; page <= 4; page++) queue.push('tenant-a', 'book', `book p${page}`);
    queue.push('tenant-a', 'memo', 'memo');
    queue.push('tenant-b', 'note', 'note');
    queue.push('tenant-a', 'receipt', 'receipt');
    expect(queue.size).toBe(7);
    const order: string[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) order.push(item);
    expect(order).toEqual(['book p1', 'note', 'memo', 'receipt', 'book p2', 'book p3', 'book p4']);
    expect(queue.size).toBe(0);
  });

  it('puts an owner who comes back at the back of the turn', () => {
    const queue = new FairQueue<string>();
    queue.push('a', 'x', 'a1');
    queue.push('a', 'x', 'a2');
    queue.push('b', 'y', 'b1');
    expect(queue.shift()).toBe('a1');
    queue.push('c', 'z', 'c1');
    expect([queue.shift(), queue.shift(), queue.shift()]).toEqual(['b1', 'a2', 'c1']);
  });

  it('drains everything', () => {
    const queue = new FairQueue<number>();
    queue.push('a', 'x', 1);
    queue.push('b', 'y', 2);
    expect(queue.drain().sort()).toEqual([1, 2]);
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });
});
