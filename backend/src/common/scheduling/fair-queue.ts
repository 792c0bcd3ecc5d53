/**
 * A queue served round-robin at two levels: across owners (tenants), then across each owner's
 * groups (documents), first in, first out within a group. One owner with a thousand waiting
 * items, or one group with a hundred (a big document's page spans), delays another owner's next
 * item by at most one turn each.
 */
export class FairQueue<T> {
  /** Owners in turn order; each owner's groups in turn order (a Map keeps insertion order). */
  private readonly owners = new Map<string, Map<string, T[]>>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  push(owner: string, group: string, item: T): void {
    let groups = this.owners.get(owner);
    if (!groups) {
      groups = new Map();
      this.owners.set(owner, groups);
    }
    let items = groups.get(group);
    if (!items) {
      items = [];
      groups.set(group, items);
    }
    items.push(item);
    this.count++;
  }

  /** The next item: the first owner's first group's oldest; both then go to the back of their turn. */
  shift(): T | undefined {
    const [owner, groups] = this.owners.entries().next().value ?? [];
    if (owner === undefined || groups === undefined) return undefined;
    const [group, items] = groups.entries().next().value ?? [];
    if (group === undefined || items === undefined) return undefined;
    const item = items.shift();
    this.count--;
    groups.delete(group);
    if (items.length > 0) groups.set(group, items);
    this.owners.delete(owner);
    if (groups.size > 0) this.owners.set(owner, groups);
    return item;
  }

  /** Empties the queue, answering everything that was in it. */
  drain(): T[] {
    const all = [...this.owners.values()].flatMap((groups) => [...groups.values()].flat());
    this.owners.clear();
    this.count = 0;
    return all;
  }
}
