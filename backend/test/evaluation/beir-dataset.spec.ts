import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

import { BeirFormatError, loadBeirDataset, type BeirDataset } from '../../src/evaluation/beir-dataset.js';

const SHIPPED = resolve(__dirname, '../../../bench/eval/business-brain');

describe('the business-brain set', () => {
  let data: BeirDataset;
  beforeAll(async () => {
    data = await loadBeirDataset(SHIPPED);
  });

  it('has the counts its README gives', () => {
    expect(data.corpus).toHaveLength(339);
    expect(data.queries).toHaveLength(60);
    const grades = [...data.qrels.values()].flatMap((judged) => [...judged.values()]);
    expect(grades).toHaveLength(129);
    expect(grades.filter((grade) => grade === 2)).toHaveLength(61);
    expect(grades.filter((grade) => grade === 1)).toHaveLength(68);
  });

  it('judges only documents of its corpus, for queries of its query file', () => {
    const docIds = new Set(data.corpus.map((doc) => doc.id));
    const queryIds = new Set(data.queries.map((query) => query.id));
    const unknown: string[] = [];
    for (const [queryId, judged] of data.qrels) {
      if (!queryIds.has(queryId)) unknown.push(`query ${queryId}`);
      for (const docId of judged.keys()) if (!docIds.has(docId)) unknown.push(`document ${docId} (judged for ${queryId})`);
    }
    expect(unknown).toEqual([]);
  });

  it('has a passage that answers each query (grade 2), and some with several judged passages', () => {
    const unanswered = data.queries.filter((query) => ![...(data.qrels.get(query.id)?.values() ?? [])].includes(2));
    expect(unanswered.map((query) => query.id)).toEqual([]);
    const multi = [...data.qrels.values()].filter((judged) => judged.size >= 2).length;
    expect(multi).toBeGreaterThanOrEqual(data.queries.length / 2);
  });

  it('has titled passages of 40 to 160 words with ids like hr-001', () => {
    const problems = data.corpus.flatMap((doc) => {
      const words = doc.text.split(/\s+/).filter(Boolean).length;
      return [
        ...(/^[a-z]+-\d{3}$/.test(doc.id) ? [] : [`${doc.id}: id`]),
        ...(doc.title.trim() ? [] : [`${doc.id}: no title`]),
        ...(words >= 40 && words <= 160 ? [] : [`${doc.id}: ${words} words`]),
      ];
    });
    expect(problems).toEqual([]);
    expect(data.queries.every((query) => /^q\d{2}$/.test(query.id) && query.text.trim() !== '')).toBe(true);
  });
});

describe('loadBeirDataset', () => {
  let root: string;
  let sets = 0;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'bb-beir-'));
  });
  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  const CORPUS = '{"_id": "d1", "title": "Leave", "text": "Twenty-five days."}\n{"_id": "d2", "title": "", "text": "Expenses."}\n';
  const QUERIES = '{"_id": "q1", "text": "how much leave"}\n';
  const QRELS = 'query-id\tcorpus-id\tscore\nq1\td1\t2\n';

  /** A set in a fresh folder: the valid files above, replaced or removed (undefined) by `files`. */
  function writeSet(files: Record<string, string | undefined> = {}): string {
    const dir = join(root, `set-${++sets}`);
    const all: Record<string, string | undefined> = { 'corpus.jsonl': CORPUS, 'queries.jsonl': QUERIES, 'qrels.tsv': QRELS, ...files };
    for (const [name, content] of Object.entries(all)) {
      if (content === undefined) continue;
      mkdirSync(dirname(join(dir, name)), { recursive: true });
      writeFileSync(join(dir, name), content);
    }
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  async function formatError(files: Record<string, string | undefined>): Promise<{ error: BeirFormatError; dir: string }> {
    const dir = writeSet(files);
    const error = await loadBeirDataset(dir).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(BeirFormatError);
    return { error: error as BeirFormatError, dir };
  }

  it('reads documents, queries and judgements', async () => {
    const data = await loadBeirDataset(writeSet());
    expect(data.corpus).toEqual([
      { id: 'd1', title: 'Leave', text: 'Twenty-five days.' },
      { id: 'd2', title: '', text: 'Expenses.' },
    ]);
    expect(data.queries).toEqual([{ id: 'q1', text: 'how much leave' }]);
    expect(data.qrels).toEqual(new Map([['q1', new Map([['d1', 2]])]]));
  });

  it('takes a missing or null title as empty, numeric ids as strings, and skips blank lines, CRLF and a BOM', async () => {
    const data = await loadBeirDataset(
      writeSet({
        'corpus.jsonl': '\uFEFF{"_id": "d1", "text": "one"}\r\n\r\n   \r\n{"_id": 7, "title": null, "text": "seven", "metadata": {}}\r\n',
        'qrels.tsv': '\uFEFFquery-id\tcorpus-id\tscore\r\n\r\nq1\t7\t1\r\n',
      }),
    );
    expect(data.corpus).toEqual([
      { id: 'd1', title: '', text: 'one' },
      { id: '7', title: '', text: 'seven' },
    ]);
    expect(data.qrels.get('q1')).toEqual(new Map([['7', 1]]));
  });

  it('keeps queries without judgements and drops grades of 0 or less (a pair judged twice keeps its last grade)', async () => {
    const data = await loadBeirDataset(
      writeSet({
        'queries.jsonl': '{"_id": "q1", "text": "a"}\n{"_id": "q2", "text": "b"}\n{"_id": "q3", "text": "c"}\n',
        'qrels.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t2\nq1\td2\t0\nq2\td1\t-1\nq1\td2\t1\nq1\td1\t0\n',
      }),
    );
    expect(data.queries.map((query) => query.id)).toEqual(['q1', 'q2', 'q3']);
    expect(data.qrels).toEqual(new Map([['q1', new Map([['d2', 1]])]]));
  });

  it('reads qrels/test.tsv, as public BEIR sets ship it, when there is no qrels.tsv', async () => {
    const data = await loadBeirDataset(writeSet({ 'qrels.tsv': undefined, 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td2\t1\n' }));
    expect(data.qrels).toEqual(new Map([['q1', new Map([['d2', 1]])]]));
    const both = await loadBeirDataset(writeSet({ 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td2\t1\n' }));
    expect(both.qrels).toEqual(new Map([['q1', new Map([['d1', 2]])]]));
  });

  it('reads lines longer than a stream chunk', async () => {
    const long = 'word '.repeat(100_000).trim();
    const data = await loadBeirDataset(writeSet({ 'corpus.jsonl': `${JSON.stringify({ _id: 'd1', text: long })}\n${CORPUS.split('\n')[1]}\n` }));
    expect(data.corpus.map((doc) => doc.text.length)).toEqual([long.length, 'Expenses.'.length]);
  });

  describe('names the file and line of', () => {
    it('malformed JSON (counting blank lines)', async () => {
      const { error, dir } = await formatError({ 'corpus.jsonl': '{"_id": "d1", "text": "one"}\n\n{"_id": "d2", "text": "two"\n' });
      expect(error.file).toBe(join(dir, 'corpus.jsonl'));
      expect(error.line).toBe(3);
      expect(error.message).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'corpus.jsonl'))}:3: malformed JSON`));
    });

    it('a line that is not a JSON object', async () => {
      const { error, dir } = await formatError({ 'queries.jsonl': '{"_id": "q1", "text": "a"}\n["q2", "b"]\n' });
      expect(error.message).toBe(`${join(dir, 'queries.jsonl')}:2: expected a JSON object`);
    });

    it('a missing _id', async () => {
      const { error, dir } = await formatError({ 'queries.jsonl': '{"_id": "q1", "text": "a"}\n{"text": "no id"}\n' });
      expect(error.message).toBe(`${join(dir, 'queries.jsonl')}:2: missing "_id"`);
    });

    it('an empty or non-string _id, a missing text, a non-string title', async () => {
      const cases: [string, string][] = [
        ['{"_id": "", "text": "a"}', '"_id" must be a non-empty string, got ""'],
        ['{"_id": {"x": 1}, "text": "a"}', '"_id" must be a non-empty string, got {"x":1}'],
        ['{"_id": "d9", "title": "no text"}', 'missing "text"'],
        ['{"_id": "d9", "text": 12}', '"text" must be a string'],
        ['{"_id": "d9", "title": 3, "text": "a"}', '"title" must be a string'],
      ];
      for (const [line, problem] of cases) {
        const { error, dir } = await formatError({ 'corpus.jsonl': `${CORPUS}${line}\n` });
        expect(error.message).toBe(`${join(dir, 'corpus.jsonl')}:3: ${problem}`);
      }
    });

    it('a duplicate _id', async () => {
      const { error, dir } = await formatError({ 'corpus.jsonl': `${CORPUS}{"_id": "d1", "text": "again"}\n` });
      expect(error.message).toBe(`${join(dir, 'corpus.jsonl')}:3: duplicate _id "d1"`);
    });

    it('a qrels file without the header', async () => {
      const { error, dir } = await formatError({ 'qrels.tsv': 'q1\td1\t2\n' });
      expect(error.file).toBe(join(dir, 'qrels.tsv'));
      expect(error.line).toBe(1);
      expect(error.message).toContain('expected the header "query-id\\tcorpus-id\\tscore"');
    });

    it('an empty qrels file', async () => {
      const { error, dir } = await formatError({ 'qrels.tsv': '\n' });
      expect(error.message).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'qrels.tsv'))}:1: empty file`));
    });

    it('a non-numeric score', async () => {
      const { error, dir } = await formatError({ 'qrels.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t2\n\nq1\td2\thigh\n' });
      expect(error.message).toBe(`${join(dir, 'qrels.tsv')}:4: score "high" is not a number`);
    });

    it('a judgement without three tab-separated fields', async () => {
      for (const line of ['q1 d1 1', 'q1\td1', 'q1\td1\t1\textra', 'q1\t\t1']) {
        const { error, dir } = await formatError({ 'qrels.tsv': `query-id\tcorpus-id\tscore\n${line}\n` });
        expect(error.message).toMatch(new RegExp(`^${escapeRegExp(join(dir, 'qrels.tsv'))}:2: expected 3 tab-separated fields`));
      }
    });

    it('an error in qrels/test.tsv', async () => {
      const { error, dir } = await formatError({ 'qrels.tsv': undefined, 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t?\n' });
      expect(error.message).toBe(`${join(dir, 'qrels', 'test.tsv')}:2: score "?" is not a number`);
    });
  });

  it('names the missing file', async () => {
    const noQrels = writeSet({ 'qrels.tsv': undefined });
    await expect(loadBeirDataset(noQrels)).rejects.toThrow(`neither ${join(noQrels, 'qrels.tsv')} nor ${join(noQrels, 'qrels', 'test.tsv')} exists`);
    const noCorpus = writeSet({ 'corpus.jsonl': undefined });
    await expect(loadBeirDataset(noCorpus)).rejects.toThrow(join(noCorpus, 'corpus.jsonl'));
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
