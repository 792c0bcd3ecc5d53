/** Client-side latency and answers per route: every request's time from sending to the whole body. */
export class RouteStats {
  private readonly times = new Map<string, number[]>();
  private readonly statuses = new Map<string, Map<number, number>>();

  /** Status 0: no answer (the connection failed). */
  record(route: string, status: number, ms: number): void {
    if (status !== 0) (this.times.get(route) ?? this.times.set(route, []).get(route))?.push(ms);
    const byStatus = this.statuses.get(route) ?? this.statuses.set(route, new Map()).get(route);
    byStatus?.set(status, (byStatus.get(status) ?? 0) + 1);
  }

  /** GET/POST `url`, timed under `route`; the body is read whole (as text) before the clock stops. */
  async fetch(route: string, url: string, init?: RequestInit): Promise<{ status: number; body: string; headers: Headers | null }> {
    const started = performance.now();
    try {
      const res = await fetch(url, init);
      const body = await res.text();
      this.record(route, res.status, performance.now() - started);
      return { status: res.status, body, headers: res.headers };
    } catch (error) {
      this.record(route, 0, performance.now() - started);
      return { status: 0, body: error instanceof Error ? error.message : String(error), headers: null };
    }
  }

  count(route: string): number {
    return [...(this.statuses.get(route)?.values() ?? [])].reduce((n, x) => n + x, 0);
  }

  /** Answers that were not 2xx, by status ("429: 12, 0: 1"), or "0". */
  errors(route: string): string {
    const bad = [...(this.statuses.get(route) ?? [])].filter(([status]) => status < 200 || status > 299).sort((a, b) => a[0] - b[0]);
    return bad.length === 0 ? '0' : bad.map(([status, n]) => `${n} x ${status === 0 ? 'no answer' : status}`).join(', ');
  }

  errorCount(): number {
    let n = 0;
    for (const byStatus of this.statuses.values()) for (const [status, count] of byStatus) if (status < 200 || status > 299) n += count;
    return n;
  }

  routes(): string[] {
    return [...this.statuses.keys()];
  }

  /** p50 / p95 / max in ms of the answered requests. */
  latency(route: string): { p50: number; p95: number; max: number } {
    const sorted = [...(this.times.get(route) ?? [])].sort((a, b) => a - b);
    return { p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? NaN };
  }
}

/** Nearest-rank percentile of sorted values. */
export const percentile = (sorted: number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
