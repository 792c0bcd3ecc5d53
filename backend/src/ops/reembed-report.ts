import type { RebuildPlan } from '../embeddings/embeddings.repository.js';
import type { ReembedObserver, ReembedProgress, ReembedResult, ReembedTenant } from '../reembedding/reembedder.js';

/** The longest silence between two progress lines of a tenant, ms. */
const PROGRESS_EVERY_MS = 10_000;

/** 1234567 -> "1,234,567". */
export const formatCount = (value: number): string => value.toLocaleString('en-US');

const percent = (done: number, total: number): number => (total === 0 ? 100 : Math.min(100, Math.floor((done / total) * 100)));

/**
 * The lines `reembed` prints for a person: per tenant its plan, its progress (each tenth of the
 * way, and at least every 10 s while it moves), its swap; then one line saying how it ended.
 */
export class ReembedReport implements ReembedObserver {
  private lastLineAt = 0;
  private lastTenth = -1;

  constructor(private readonly write: (line: string) => void = (line) => console.log(line)) {}

  planned(tenant: ReembedTenant, plan: RebuildPlan): void {
    this.lastTenth = -1;
    if (plan.toRebuild === 0) return;
    const earlier = plan.staged > 0 ? `, ${formatCount(plan.staged)} staged by an earlier run` : '';
    this.write(`${tenant.slug}: ${formatCount(plan.toRebuild)} of ${formatCount(plan.chunks)} chunks to re-embed${earlier}`);
    this.lastLineAt = performance.now();
  }

  staged({ tenant, done, total }: ReembedProgress): void {
    const share = percent(done, total);
    const tenth = Math.floor(share / 10);
    if (tenth === this.lastTenth && share < 100 && performance.now() - this.lastLineAt < PROGRESS_EVERY_MS) return;
    this.lastTenth = tenth;
    this.lastLineAt = performance.now();
    this.write(`${tenant.slug}: ${formatCount(done)} / ${formatCount(total)} chunks (${share}%)`);
  }

  swapped(result: ReembedResult): void {
    const { tenant, plan, model } = result;
    if (plan.toRebuild === 0) {
      this.write(`${tenant.slug}: nothing to re-embed (${plan.chunks === 0 ? 'no chunks' : `all ${formatCount(plan.chunks)} chunks carry ${model}`})`);
      return;
    }
    const inSwap = result.textsInSwap > 0 ? `, ${formatCount(result.textsInSwap)} texts added meanwhile embedded inside it` : '';
    // re-embedding every chunk with a model that answers as before changes nothing, and rewrites nothing
    const unchanged = plan.toRebuild - result.adopted;
    const same = unchanged > 0 ? ` (${formatCount(unchanged)} already held the same vectors)` : '';
    this.write(
      `${tenant.slug}: swapped ${formatCount(result.adopted)} chunks to ${model}${same} in one transaction of ${(result.swapMs / 1000).toFixed(2)} s${inSwap}; nothing left staged`,
    );
  }

  failed(tenant: ReembedTenant, message: string): void {
    this.write(`${tenant.slug}: FAILED: ${message}`);
    this.write(`${tenant.slug}: its live vectors are as they were; what was staged stays, and running the task again continues from there`);
  }

  /** The last line: OK with what was done, or FAILED naming the tenant. */
  finished(results: readonly ReembedResult[], run: { model: string; tenants: number; seconds: number; failed?: ReembedTenant }): void {
    const sum = (pick: (r: ReembedResult) => number): number => results.reduce((total, r) => total + pick(r), 0);
    const swapped = results.filter((r) => r.plan.toRebuild > 0).length;
    const done =
      `${swapped} of ${run.tenants} tenants re-embedded, ${formatCount(sum((r) => r.adopted))} chunks now carry ${run.model} ` +
      `(${formatCount(sum((r) => r.textsEmbedded))} texts embedded, ${formatCount(sum((r) => r.textsReused))} reused), ` +
      `${results.length - swapped} had nothing to re-embed`;
    if (run.failed) this.write(`reembed: FAILED at ${run.failed.slug}; before it ${done}; ${run.seconds.toFixed(1)} s`);
    else this.write(`reembed: OK: ${done}; ${run.seconds.toFixed(1)} s`);
  }
}
