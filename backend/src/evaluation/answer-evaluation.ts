import { contentTerms } from '../embeddings/providers/lexical-features.js';
import type { BeirDataset } from './beir-dataset.js';
import { type EvalMode, type EvalTarget, json } from './evaluate.js';
import { mean, percentile } from './retrieval-metrics.js';

export interface ContextReport {
  mode: EvalMode;
  queries: number;
  maxTokens: number;
  /** Per query, the share of its relevant documents with a passage in the context; averaged. */
  contextRecall: number;
  meanTokens: number;
  p50Ms: number;
  p95Ms: number;
}

export interface CitationReport {
  model: string;
  queries: number;
  /** Answer sentences (claims) over all answers. */
  claims: number;
  /** Share of claims that carry a citation. */
  cited: number;
  /** Share of claims whose cited source holds the claim (most of its content words). */
  supported: number;
  /** Share of the cited claims whose cited source holds the claim. */
  supportedOfCited: number;
  p50Ms: number;
  p95Ms: number;
}

/** A claim is held by a source when at least this share of its content words are in it. */
export const SUPPORT_SHARE = 0.6;

const post = async <T>(target: EvalTarget, route: string, body: unknown, accept = 'application/json'): Promise<{ body: T; ms: number }> => {
  const started = performance.now();
  const res = await fetch(`${target.baseUrl}/routes/knowledge/${target.tenant}/${route}`, json(body, { accept, ...(target.headers ?? {}) }));
  if (res.status !== 200) throw new Error(`${route} answered ${res.status}: ${await res.text()}`);
  return { body: (await res.json()) as T, ms: performance.now() - started };
};

const judgedQueries = (dataset: BeirDataset) => dataset.queries.filter((q) => [...(dataset.qrels.get(q.id)?.values() ?? [])].some((grade) => grade > 0));

/** Every judged query through POST .../context in each mode: how much of what is relevant the packed context holds. */
export async function evaluateContext(target: EvalTarget, dataset: BeirDataset, entries: ReadonlyMap<string, string>, modes: readonly EvalMode[], maxTokens = 2000): Promise<ContextReport[]> {
  const judged = judgedQueries(dataset);
  const reports: ContextReport[] = [];
  for (const mode of modes) {
    const recall: number[] = [];
    const tokens: number[] = [];
    const ms: number[] = [];
    for (const query of judged) {
      const relevant = [...(dataset.qrels.get(query.id) ?? new Map<string, number>())].filter(([, grade]) => grade > 0).map(([id]) => id);
      const { body, ms: took } = await post<{ sources: { knowledge_base_id: string }[]; tokens: number }>(target, 'context', { query: query.text.slice(0, 1000), mode, max_tokens: maxTokens });
      const packed = new Set(body.sources.map((s) => entries.get(s.knowledge_base_id)));
      recall.push(relevant.filter((id) => packed.has(id)).length / relevant.length);
      tokens.push(body.tokens);
      ms.push(took);
    }
    reports.push({ mode, queries: judged.length, maxTokens, contextRecall: mean(recall), meanTokens: mean(tokens), p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) });
  }
  return reports;
}

/** The answer's claims: each stretch of text up to the citation markers that follow it, and the text after the last marker. */
export function claimsOf(answer: string): { text: string; cites: number[] }[] {
  const claims: { text: string; cites: number[] }[] = [];
  const pattern = /((?:\s*\[\d+(?:\s*,\s*\d+)*\])+)/g;
  let last = 0;
  for (const match of answer.matchAll(pattern)) {
    // a citation after the full stop ("... year. [1]") leaves the stop at the start of the next stretch
    const text = answer.slice(last, match.index).replace(/^[\s.,;:!?]+/, '').trim();
    const cites = [...(match[1] ?? '').matchAll(/\d+/g)].map((m) => Number(m[0]));
    if (contentTerms(text).length > 0) claims.push({ text, cites });
    last = (match.index ?? 0) + match[0].length;
  }
  const rest = answer.slice(last).replace(/^[\s.,;:!?]+/, '').trim();
  if (contentTerms(rest).length > 0) claims.push({ text: rest, cites: [] });
  return claims;
}

/** Whether `source` holds the claim: at least SUPPORT_SHARE of the claim's content words (stemmed) appear in it. */
export function supports(source: string, claim: string): boolean {
  const words = new Set(contentTerms(claim).map((t) => t.term));
  if (words.size === 0) return false;
  const held = new Set(contentTerms(source).map((t) => t.term));
  return [...words].filter((w) => held.has(w)).length / words.size >= SUPPORT_SHARE;
}

/**
 * Every judged query (up to `limit`) through POST .../answer: how many of the answers' claims
 * carry a citation, and how many cite a source that holds them. A source's text is its corpus
 * document's (title and text), which holds the cited passage.
 */
export async function evaluateCitations(target: EvalTarget, dataset: BeirDataset, entries: ReadonlyMap<string, string>, options: { limit?: number; maxTokens?: number } = {}): Promise<CitationReport> {
  const texts = new Map(dataset.corpus.map((d) => [d.id, `${d.title}\n${d.text}`]));
  const judged = judgedQueries(dataset).slice(0, options.limit ?? Number.POSITIVE_INFINITY);
  let claims = 0;
  let cited = 0;
  let supported = 0;
  let model = '';
  const ms: number[] = [];
  for (const query of judged) {
    const { body, ms: took } = await post<{ answer: string; sources: { number: number; knowledge_base_id: string }[]; model: string }>(target, 'answer', {
      question: query.text.slice(0, 1000),
      max_tokens: options.maxTokens ?? 2000,
    });
    model = body.model;
    ms.push(took);
    const sourceText = new Map(body.sources.map((s) => [s.number, texts.get(entries.get(s.knowledge_base_id) ?? '') ?? '']));
    for (const claim of claimsOf(body.answer)) {
      claims++;
      if (claim.cites.length === 0) continue;
      cited++;
      if (claim.cites.some((n) => supports(sourceText.get(n) ?? '', claim.text))) supported++;
    }
  }
  return { model, queries: judged.length, claims, cited: claims === 0 ? 0 : cited / claims, supported: claims === 0 ? 0 : supported / claims, supportedOfCited: cited === 0 ? 0 : supported / cited, p50Ms: percentile(ms, 50), p95Ms: percentile(ms, 95) };
}

export function formatContextReports(reports: readonly ContextReport[]): string {
  const rows = reports.map((r) => `| ${r.mode} | ${r.queries} | ${r.maxTokens} | ${r.contextRecall.toFixed(3)} | ${r.meanTokens.toFixed(0)} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} |`);
  return ['| mode | queries | budget | context recall | mean tokens | p50 ms | p95 ms |', '|---|---|---|---|---|---|---|', ...rows].join('\n');
}

export function formatCitationReport(r: CitationReport): string {
  return [
    '| answers by | queries | claims | cited | cited and the cited source holds it | of the cited claims | p50 ms | p95 ms |',
    '|---|---|---|---|---|---|---|---|',
    `| ${r.model} | ${r.queries} | ${r.claims} | ${r.cited.toFixed(3)} | ${r.supported.toFixed(3)} | ${r.supportedOfCited.toFixed(3)} | ${r.p50Ms.toFixed(1)} | ${r.p95Ms.toFixed(1)} |`,
  ].join('\n');
}
