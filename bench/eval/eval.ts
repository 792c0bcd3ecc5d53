/**
 * Retrieval quality of the real service on a labelled set in the BEIR layout.
 *
 *   npx nx run backend:eval                                        # the shipped set, embedded PGlite
 *   npx nx run backend:eval -- --data ~/beir/scifact --modes hybrid,keyword
 *   BENCH_POSTGRES_ADMIN_URL=postgresql://bb_test:bb_test@127.0.0.1:5432/postgres npx nx run backend:eval
 *
 * Starts the app on a scratch database, adds every corpus document to a scratch tenant through the
 * HTTP API (8 requests in flight; the ingestion queue extracts, chunks, embeds and stores them),
 * then sends every judged query through POST /search in each mode and prints nDCG@10, recall@10,
 * recall@100 and MRR@10 (as BEIR computes them) with the latency of a search; then the context
 * recall of POST /context at a token budget (--context-tokens, 2000) per mode, and for the first
 * --answers (60; 0 for none) judged questions, how many claims of POST /answer's answers carry a
 * citation and how many cite a document that holds them (a chat model when OPENAI_CHAT_MODEL is
 * set, else the extractive answers). Progress goes to
 * stderr, the tables to stdout. The embedder is whatever the environment configures: offline
 * lexical vectors by default, or OPENAI_API_KEY / OPENAI_BASE_URL for any OpenAI-compatible server.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

import { startBenchApp } from '../bench-app.js';
import { loadBeirDataset } from '../../backend/src/evaluation/beir-dataset.js';
import { evaluateCitations, evaluateContext, formatCitationReport, formatContextReports } from '../../backend/src/evaluation/answer-evaluation.js';
import { evaluateModes, formatReports, ingestCorpus, type EvalMode } from '../../backend/src/evaluation/evaluate.js';

const MODES: readonly EvalMode[] = ['hybrid', 'semantic', 'keyword'];
export const SHIPPED_SET = 'bench/eval/business-brain';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: SHIPPED_SET },
      modes: { type: 'string', default: MODES.join(',') },
      concurrency: { type: 'string', default: '8' },
      'context-tokens': { type: 'string', default: '2000' },
      answers: { type: 'string', default: '60' },
    },
  });
  const modes = (values.modes ?? '').split(',').map((m) => m.trim());
  const unknown = modes.filter((m) => !(MODES as readonly string[]).includes(m));
  if (unknown.length > 0) throw new Error(`unknown mode(s) ${unknown.join(', ')}: choose from ${MODES.join(', ')}`);
  const dir = resolve(values.data ?? SHIPPED_SET);
  const dataset = await loadBeirDataset(dir);
  const judged = dataset.queries.filter((q) => dataset.qrels.has(q.id)).length;
  process.stderr.write(`${dir}: ${dataset.corpus.length} documents, ${judged} judged queries\n`);

  const env: Record<string, string> = Object.fromEntries(
    Object.entries(process.env).filter((e): e is [string, string] => /^(SEARCH_|OPENAI_|CHAT_|ANSWER_|EMBEDDING_MODEL$)/.test(e[0]) && e[1] !== undefined),
  );
  const app = await startBenchApp(env);
  try {
    const target = { baseUrl: app.baseUrl, tenant: 'eval' };
    const started = performance.now();
    const entries = await ingestCorpus(target, dataset.corpus, {
      concurrency: Number(values.concurrency),
      onProgress: (done, total) => process.stderr.write(`\ringested ${done}/${total}`),
    });
    const seconds = (performance.now() - started) / 1000;
    process.stderr.write('\n');
    const reports = await evaluateModes(target, dataset, entries, modes as EvalMode[]);
    const model = ((await (await fetch(`${app.baseUrl}/routes/knowledge/eval/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'x', mode: 'keyword', top_k: 1 }),
    })).json()) as { embedding_model: string }).embedding_model;
    console.log(`\n${dir} on ${app.engine}, embeddings: ${model}`);
    console.log(`ingested ${dataset.corpus.length} documents in ${seconds.toFixed(1)} s (${(dataset.corpus.length / seconds).toFixed(1)} documents/s)\n`);
    console.log(formatReports(reports));
    const budget = Number(values['context-tokens']);
    process.stderr.write(`context: ${budget}-token contexts for every judged query\n`);
    console.log(`\nContext recall (share of a query's relevant documents with a passage in its ${budget}-token context, POST /context):\n`);
    console.log(formatContextReports(await evaluateContext(target, dataset, entries, modes as EvalMode[], budget)));
    const answers = Number(values.answers);
    if (answers > 0) {
      process.stderr.write(`answers: ${answers} questions\n`);
      console.log(`\nCitations (answer claims; "holds" = ${'at least 60 %'} of the claim's content words are in the cited document, POST /answer):\n`);
      console.log(formatCitationReport(await evaluateCitations(target, dataset, entries, { limit: answers, maxTokens: budget })));
    }
  } finally {
    await app.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
