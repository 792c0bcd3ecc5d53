import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/**
 * A retrieval evaluation set in the BEIR layout: `corpus.jsonl` ({"_id", "title", "text"} a
 * line), `queries.jsonl` ({"_id", "text"} a line) and graded judgements in `qrels.tsv`, or in
 * `qrels/test.tsv` as the public BEIR sets ship them (a "query-id\tcorpus-id\tscore" header, then
 * one judgement a line). The files are read line by line: a BEIR corpus can weigh hundreds of MB.
 */

export interface BeirDocument {
  id: string;
  /** Empty when the line has none. */
  title: string;
  text: string;
}

export interface BeirQuery {
  id: string;
  text: string;
}

export interface BeirDataset {
  corpus: BeirDocument[];
  /** Every query of the file, judged or not: the caller keeps those it has judgements for. */
  queries: BeirQuery[];
  /** Query id to document id to grade; only grades > 0 (a judgement of 0 or less is dropped). */
  qrels: Map<string, Map<string, number>>;
}

/** A malformed line: the message starts with `file:line:`. */
export class BeirFormatError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
    this.name = 'BeirFormatError';
  }
}

const QRELS_HEADER = ['query-id', 'corpus-id', 'score'];

export async function loadBeirDataset(dir: string): Promise<BeirDataset> {
  const corpus = await readJsonl(join(dir, 'corpus.jsonl'), (record, fail) => ({
    id: idOf(record, fail),
    title: optionalString(record, 'title', fail),
    text: requiredString(record, 'text', fail),
  }));
  const queries = await readJsonl(join(dir, 'queries.jsonl'), (record, fail) => ({
    id: idOf(record, fail),
    text: requiredString(record, 'text', fail),
  }));
  const qrels = await readQrels(await qrelsFile(dir));
  return { corpus, queries, qrels };
}

/** `qrels.tsv` when there is one, else `qrels/test.tsv`. */
async function qrelsFile(dir: string): Promise<string> {
  const candidates = [join(dir, 'qrels.tsv'), join(dir, 'qrels', 'test.tsv')];
  for (const file of candidates) {
    if (await exists(file)) return file;
  }
  throw new Error(`no judgements in ${dir}: neither ${candidates.join(' nor ')} exists`);
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

/** The non-blank lines of a UTF-8 file with their 1-based numbers, read as a stream. */
async function* linesOf(file: string): AsyncGenerator<{ text: string; number: number }> {
  const input = createReadStream(file, { encoding: 'utf8' });
  const reader = createInterface({ input, crlfDelay: Infinity });
  let number = 0;
  try {
    for await (const line of reader) {
      number++;
      const text = number === 1 ? line.replace(/^\uFEFF/, '') : line;
      if (text.trim() !== '') yield { text, number };
    }
  } finally {
    reader.close();
    input.destroy();
  }
}

type Fail = (problem: string) => never;
type JsonRecord = Record<string, unknown>;

/** The records of a JSON-lines file, each read by `parse` (which calls `fail` to reject its line). */
async function readJsonl<T extends { id: string }>(file: string, parse: (record: JsonRecord, fail: Fail) => T): Promise<T[]> {
  const items: T[] = [];
  const ids = new Set<string>();
  for await (const { text, number } of linesOf(file)) {
    const fail: Fail = (problem) => {
      throw new BeirFormatError(file, number, problem);
    };
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      fail(`malformed JSON (${(error as Error).message})`);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object');
    const item = parse(value as JsonRecord, fail);
    if (ids.has(item.id)) fail(`duplicate _id "${item.id}"`);
    ids.add(item.id);
    items.push(item);
  }
  return items;
}

/** The `_id`: a non-empty string, or a number (some exports write numeric ids), as a string. */
function idOf(record: JsonRecord, fail: Fail): string {
  const id = record['_id'];
  if (id === undefined || id === null) return fail('missing "_id"');
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id !== 'string' || id.trim() === '') return fail(`"_id" must be a non-empty string, got ${JSON.stringify(id)}`);
  return id;
}

function requiredString(record: JsonRecord, key: string, fail: Fail): string {
  const value = record[key];
  if (typeof value !== 'string') return fail(value === undefined ? `missing "${key}"` : `"${key}" must be a string`);
  return value;
}

function optionalString(record: JsonRecord, key: string, fail: Fail): string {
  const value = record[key];
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') return fail(`"${key}" must be a string`);
  return value;
}

/**
 * Judgements of a qrels file. A pair judged twice keeps its last grade (as BEIR's loader does);
 * grades of 0 or less are then dropped, and a query left with none has no entry.
 */
async function readQrels(file: string): Promise<Map<string, Map<string, number>>> {
  const qrels = new Map<string, Map<string, number>>();
  let header = true;
  for await (const { text, number } of linesOf(file)) {
    const fields = text.split('\t').map((field) => field.trim());
    if (header) {
      if (fields.join('\t') !== QRELS_HEADER.join('\t')) {
        throw new BeirFormatError(file, number, `expected the header "${QRELS_HEADER.join('\\t')}", got "${text}"`);
      }
      header = false;
      continue;
    }
    const [queryId, docId, rawScore] = fields;
    if (fields.length !== 3 || !queryId || !docId || rawScore === undefined) {
      throw new BeirFormatError(file, number, `expected 3 tab-separated fields (query-id, corpus-id, score), got "${text}"`);
    }
    const score = Number(rawScore);
    if (rawScore === '' || !Number.isFinite(score)) throw new BeirFormatError(file, number, `score "${rawScore}" is not a number`);
    const judged = qrels.get(queryId) ?? new Map<string, number>();
    if (score > 0) judged.set(docId, score);
    else judged.delete(docId);
    if (judged.size > 0) qrels.set(queryId, judged);
    else qrels.delete(queryId);
  }
  if (header) throw new BeirFormatError(file, 1, `empty file: expected the header "${QRELS_HEADER.join('\\t')}"`);
  return qrels;
}
