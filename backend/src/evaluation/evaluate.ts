import type { BeirDataset, BeirDocument } from './beir-dataset.js';
import { mean, mrrAt, ndcgAt, percentile, recallAt } from './retrieval-metrics.js';

/** Where the API listens and which tenant the set goes into. */
export interface EvalTarget {
  baseUrl: string;
  tenant: string;
  headers?: Record<string, string>;
}

export type EvalMode = 'hybrid' | 'semantic' | 'keyword';

export interface ModeReport {
  mode: EvalMode;
  queries: number;
  ndcg10: number;
  recall10: number;
  recall100: number;
  mrr10: number;
  /** Client-observed latency of one search request, ms. */
  p50Ms: number;
  p95Ms: number;
}

const TITLE_MAX = 200;

/** Runs `work` over `items` with at most `limit` in flight, in order of start. */
async function inFlight<T>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      await work(items[index], index);
    }
  });
  await Promise.all(lanes);
}

/** A JSON POST to the API. */
export const json = (body: unknown, headers: Record<string, string> = {}): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
});

/**
 * Puts every corpus document into the tenant through the HTTP API, as a pasted-text entry (title
 * and text, as BM25 baselines index them), `concurrency` requests in flight, then waits until the
 * ingestion queue has made every one ready. Returns entry id → corpus id.
 */
export async function ingestCorpus(
  target: EvalTarget,
  corpus: readonly BeirDocument[],
  options: { concurrency?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<Map<string, string>> {
  const entries = new Map<string, string>();
  let created = 0;
  await inFlight(corpus, options.concurrency ?? 8, async (doc) => {
    const text = doc.title ? `${doc.title}\n\n${doc.text}` : doc.text;
    const title = (doc.title || doc.id).slice(0, TITLE_MAX);
    const res = await fetch(`${target.baseUrl}/routes/knowledge/${target.tenant}`, json({ title, type: 'Reference', intent: 'Reference', text }, target.headers));
    if (res.status !== 202) throw new Error(`adding corpus document ${doc.id} answered ${res.status}: ${await res.text()}`);
    entries.set(((await res.json()) as { id: string }).id, doc.id);
    created++;
    if (created % 250 === 0) options.onProgress?.(created, corpus.length);
  });
  await waitUntilReady(target, entries.size, options.onProgress);
  return entries;
}

/** Polls the tenant's index (status filters count) until no entry is queued or processing; fails on a failed one. */
async function waitUntilReady(target: EvalTarget, total: number, onProgress?: (done: number, total: number) => void): Promise<void> {
  const count = async (status: string): Promise<number> => {
    const res = await fetch(`${target.baseUrl}/routes/knowledge/${target.tenant}/index?limit=1&status=${status}`, { headers: target.headers ?? {} });
    if (res.status !== 200) throw new Error(`listing ${status} entries answered ${res.status}`);
    return ((await res.json()) as { total_count: number }).total_count;
  };
  for (;;) {
    const failed = (await count('failed')) + (await count('partial'));
    if (failed > 0) throw new Error(`${failed} corpus entries failed to process`);
    const ready = await count('ready');
    onProgress?.(ready, total);
    if (ready >= total) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** One search; the ranked corpus ids (a document's chunks collapse onto its first) and the latency. */
async function rankedDocuments(target: EvalTarget, entries: ReadonlyMap<string, string>, query: string, mode: EvalMode, topK: number): Promise<{ ranked: string[]; ms: number }> {
  const started = performance.now();
  const res = await fetch(`${target.baseUrl}/routes/knowledge/${target.tenant}/search`, json({ query: query.slice(0, 1000), mode, top_k: topK }, target.headers));
  if (res.status !== 200) throw new Error(`search (${mode}) answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as { results: { knowledge_base_id: string }[] };
  const ms = performance.now() - started;
  const ranked: string[] = [];
  for (const result of body.results) {
    const id = entries.get(result.knowledge_base_id);
    if (id !== undefined && !ranked.includes(id)) ranked.push(id);
  }
  return { ranked, ms };
}

/** Every judged query through the real search endpoint in each mode; the BEIR metrics per mode. */
export async function evaluateModes(target: EvalTarget, dataset: BeirDataset, entries: ReadonlyMap<string, string>, modes: readonly EvalMode[]): Promise<ModeReport[]> {
  const judged = dataset.queries.filter((q) => (dataset.qrels.get(q.id)?.size ?? 0) > 0);
  if (judged.length === 0) throw new Error('no query has judgements');
  const reports: ModeReport[] = [];
  for (const mode of modes) {
    const ndcg: number[] = [];
    const r10: number[] = [];
    const r100: number[] = [];
    const mrr: number[] = [];
    const ms: number[] = [];
    for (const query of judged) {
      const qrels = dataset.qrels.get(query.id)!;
      // the chunks of one document can fill a page: fetch deep enough for 100 distinct documents where possible
      const { ranked, ms: took } = await rankedDocuments(target, entries, query.text, mode, 100);
      ndcg.push(ndcgAt(ranked, qrels, 10));
      r10.push(recallAt(ranked, qrels, 10));
      r100.push(recallAt(ranked, qrels, 100));
      mrr.push(mrrAt(ranked, qrels, 10));
      ms.push(took);
    }
    reports.push({
      mode,
      queries: judged.length,
      ndcg10: mean(ndcg),
      recall10: mean(r10),
      recall100: mean(r100),
      mrr10: mean(mrr),
      p50Ms: percentile(ms, 50),
      p95Ms: percentile(ms, 95),
    });
  }
  return reports;
}

export function formatReports(reports: readonly ModeReport[]): string {
  const rows = reports.map(
    (r) =>
      `| ${r.mode} | ${r.queries} | ${r.ndcg10.toFixed(3)} | ${r.recall10.toFixed(3)} | ${r.recall100.toFixed(3)} | ${r.mrr10.toFixed(3)} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} |`,
  );
  return ['| mode | queries | nDCG@10 | recall@10 | recall@100 | MRR@10 | p50 ms | p95 ms |', '|---|---|---|---|---|---|---|---|', ...rows].join('\n');
}
