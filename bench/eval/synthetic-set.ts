/**
 * Writes a synthetic set in the BEIR layout shaped like a small public one (SciFact: 5,183
 * abstracts of ~200 words, 300 queries), to time `nx run backend:eval`'s ingestion of a corpus of
 * that size where the public sets cannot be downloaded. Its relevance figures mean little: each
 * query is judged relevant to the abstracts of its subtopic only by construction.
 *
 *   npx tsc -p bench/tsconfig.json && node dist/bench/bench/eval/synthetic-set.js --out /tmp/synthetic-beir [--documents 5183] [--queries 300]
 *   npx nx run backend:eval -- --data /tmp/synthetic-beir --modes keyword
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { Rng, seedOf } from '../corpus/rng.js';
import { chunkText, documentTopic } from '../search-corpus.js';

const { values } = parseArgs({ options: { out: { type: 'string' }, documents: { type: 'string', default: '5183' }, queries: { type: 'string', default: '300' } } });
if (!values.out) throw new Error('--out <dir> is required');
const documents = Number(values.documents);
const queryCount = Number(values.queries);
const rng = new Rng(seedOf('synthetic-beir-v1'));
const corpus: string[] = [];
const bySubtopic = new Map<string, string[]>();
for (let i = 0; i < documents; i++) {
  const about = documentTopic(rng);
  const id = `d${i}`;
  const { text } = chunkText(rng, about);
  const title = text.split(' ').slice(0, 6).join(' ');
  corpus.push(JSON.stringify({ _id: id, title, text }));
  const key = `${about.topic}/${about.subtopic}`;
  bySubtopic.set(key, [...(bySubtopic.get(key) ?? []), id]);
}
const queries: string[] = [];
const qrels: string[] = ['query-id\tcorpus-id\tscore'];
const subtopics = [...bySubtopic.entries()];
for (let q = 0; q < queryCount; q++) {
  const [, ids] = subtopics[rng.int(0, subtopics.length - 1)];
  const source = ids[0];
  const text = (JSON.parse(corpus[Number(source.slice(1))]) as { text: string }).text.split(' ').slice(10, 20).join(' ');
  queries.push(JSON.stringify({ _id: `q${q}`, text }));
  qrels.push(`q${q}\t${source}\t2`);
}
mkdirSync(values.out, { recursive: true });
writeFileSync(join(values.out, 'corpus.jsonl'), `${corpus.join('\n')}\n`);
writeFileSync(join(values.out, 'queries.jsonl'), `${queries.join('\n')}\n`);
writeFileSync(join(values.out, 'qrels.tsv'), `${qrels.join('\n')}\n`);
console.log(`${documents} documents, ${queryCount} queries in ${values.out}`);
