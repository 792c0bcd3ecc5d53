/**
 * At most `capacity` callers inside `run` at once. The others wait; a freed place goes to the
 * waiter with the lowest `priority`, first come first served among equals.
 */
export class Semaphore {
  private active = 0;
  private readonly waiting: { priority: number; resolve: () => void }[] = [];

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  async run<T>(fn: () => Promise<T>, priority = 0): Promise<T> {
    if (this.active >= this.capacity) {
      await new Promise<void>((resolve) => {
        let at = this.waiting.length;
        while (at > 0 && (this.waiting[at - 1]?.priority ?? 0) > priority) at--;
        this.waiting.splice(at, 0, { priority, resolve });
      });
    } else {
      this.active++;
    }
    try {
      return await fn();
    } finally {
      // the place passes straight to the next waiter, so `active` stays counted for it
      const next = this.waiting.shift();
      if (next) next.resolve();
      else this.active--;
    }
  }
}
