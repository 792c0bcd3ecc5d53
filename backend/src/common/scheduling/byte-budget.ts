/**
 * A budget of bytes shared by concurrent work: a caller takes the bytes it will hold and gives
 * them back when done. Waiters are served first come first served, so a large request is never
 * overtaken for good by smaller ones; a wait is bounded, and ends early when its signal aborts.
 */
export class ByteBudget {
  private used = 0;
  private readonly queue: { bytes: number; grant: () => void }[] = [];

  constructor(readonly capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
  }

  /** Bytes taken and not yet given back. */
  get inUse(): number {
    return this.used;
  }

  /** Callers waiting for bytes. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Takes `bytes` (at most the capacity) once they fit and every earlier waiter has been served:
   * answers the function that gives them back (once), or null when they did not fit within
   * `waitMs` or `signal` aborted first.
   */
  acquire(bytes: number, waitMs: number, signal?: AbortSignal): Promise<(() => void) | null> {
    const size = Math.min(this.capacity, Math.max(0, Math.ceil(bytes)));
    if (this.queue.length === 0 && this.used + size <= this.capacity) return Promise.resolve(this.take(size));
    if (waitMs <= 0 || signal?.aborted) return Promise.resolve(null);
    return new Promise((resolve) => {
      const waiter = {
        bytes: size,
        grant: () => {
          cleanUp();
          resolve(this.take(size));
        },
      };
      const giveUp = (): void => {
        const at = this.queue.indexOf(waiter);
        if (at === -1) return;
        this.queue.splice(at, 1);
        cleanUp();
        resolve(null);
        this.serve(); // the next waiter may fit now that this one no longer blocks the line
      };
      const timer = setTimeout(giveUp, waitMs);
      signal?.addEventListener('abort', giveUp, { once: true });
      const cleanUp = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
      };
      this.queue.push(waiter);
    });
  }

  private take(bytes: number): () => void {
    this.used += bytes;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.used -= bytes;
      this.serve();
    };
  }

  private serve(): void {
    for (let next = this.queue[0]; next && this.used + next.bytes <= this.capacity; next = this.queue[0]) {
      this.queue.shift();
      next.grant();
    }
  }
}
