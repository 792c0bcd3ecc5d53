import { makeStructuredDocx } from './support/fixtures/docx-fixtures.js';
import { makeImageOnlyPdf, makePdf } from './support/fixtures/pdf-fixtures.js';
import { encodeSingleByte, utf16le } from './support/fixtures/text-fixtures.js';
import { TEST_ENGINES } from './support/engines.js';
import { formOf, META, waitForSettled, type EntryJson, type FilePart } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const base = '/routes/knowledge/files-co';

interface ChunkJson {
  content: string;
  page_number: number | null;
  position: number;
}

describe.each(TEST_ENGINES)('uploaded files end to end (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_POLL_MS: '200', CHUNK_TOKENS: '64', CHUNK_OVERLAP_TOKENS: '8' });
  });
  afterAll(() => t?.close());

  const upload = async (title: string, file: FilePart): Promise<{ entry: EntryJson; chunks: ChunkJson[] }> => {
    const res = await t.get(base, { method: 'POST', body: formOf({ ...META, title }, [file]) });
    expect(res.status).toBe(202);
    const created = (await res.json()) as EntryJson;
    const entry = await waitForSettled(t, 'files-co', created.id);
    const chunks = ((await (await t.get(`${base}/${created.id}/chunks?limit=100`)).json()) as { chunks: ChunkJson[] }).chunks;
    return { entry, chunks };
  };

  it('a PDF keeps its page numbers on the chunks', async () => {
    const pages = [1, 2, 3].map((n) => `Page ${n} talks about topic-${n}. ${'Refunds and warranties matter. '.repeat(12)}`);
    const { entry, chunks } = await upload('Manual', { name: 'manual.pdf', type: 'application/pdf', bytes: await makePdf({ pages }) });
    expect(entry.documents[0]).toEqual(expect.objectContaining({ status: 'ready', page_count: 3 }));
    expect(new Set(chunks.map((c) => c.page_number))).toEqual(new Set([1, 2, 3]));
    // a chunk is cited by the page it starts on (its overlap may begin on the page before)
    for (const c of chunks) {
      if (c.content.startsWith('Page 3')) expect(c.page_number).toBe(3);
      if (c.page_number === 3) expect(c.content).not.toMatch(/topic-[12]/);
    }
  });

  it('a password-protected PDF fails with a readable reason', async () => {
    const bytes = await makePdf({ pages: ['secret'], userPassword: 'hunter2' });
    const { entry } = await upload('Locked', { name: 'locked.pdf', bytes });
    expect(entry.documents[0]?.status).toBe('failed');
    expect(entry.documents[0]?.error).toMatch(/password/i);
  });

  it('a scanned PDF without a text layer fails instead of succeeding empty', async () => {
    const { entry } = await upload('Scan', { name: 'scan.pdf', bytes: await makeImageOnlyPdf(2) });
    expect(entry.documents[0]?.status).toBe('failed');
    expect(entry.documents[0]?.error).toMatch(/text/i);
    expect(entry.chunk_count).toBe(0);
  });

  it('a DOCX keeps headings, lists and tables as text', async () => {
    const { entry, chunks } = await upload('Structured', { name: 'doc.docx', bytes: await makeStructuredDocx() });
    expect(entry.documents[0]?.status).toBe('ready');
    const text = chunks.map((c) => c.content).join('\n');
    expect(text).toMatch(/^# /m);
    expect(text).toMatch(/^- /m);
    expect(text).toMatch(/\|/);
  });

  it('a truncated DOCX fails as corrupt', async () => {
    const docx = await makeStructuredDocx();
    const { entry } = await upload('Truncated', { name: 'cut.docx', bytes: docx.subarray(0, Math.floor(docx.length * 0.6)) });
    expect(entry.documents[0]?.status).toBe('failed');
    expect(entry.documents[0]?.error).toBeTruthy();
  });

  it('decodes UTF-16 and windows-1252 text correctly', async () => {
    const phrase = 'Café naïve – “quotes” cost 5 €';
    const a = await upload('UTF-16', { name: 'u16.txt', bytes: utf16le(`${phrase} (utf16)`) });
    expect(a.chunks.map((c) => c.content).join()).toContain(`${phrase} (utf16)`);
    const b = await upload('Legacy', { name: 'legacy.txt', bytes: encodeSingleByte(`${phrase} (cp1252)`, 'windows-1252') });
    expect(b.chunks.map((c) => c.content).join()).toContain(`${phrase} (cp1252)`);
  });

  it('a URL pointing into the private network fails with a readable refusal (loopback not allowed here)', async () => {
    const { jsonInit } = await import('./support/knowledge-client.js');
    for (const url of ['http://127.0.0.1:9/admin', 'http://169.254.169.254/latest/meta-data/']) {
      const res = await t.get(base, jsonInit('POST', { ...META, title: `ssrf ${url}`, url }));
      expect(res.status).toBe(202);
      const entry = await waitForSettled(t, 'files-co', ((await res.json()) as EntryJson).id);
      expect(entry.documents[0]?.status).toBe('failed');
      expect(entry.documents[0]?.error).toBe('The address is not allowed');
    }
  });

  it('a CSV becomes searchable rows', async () => {
    const csv = 'name;city;role\nAda;London;engineer\nGrace;Arlington;admiral\n';
    const { entry, chunks } = await upload('People', { name: 'people.csv', type: 'text/csv', bytes: csv });
    expect(entry.documents[0]?.status).toBe('ready');
    expect(chunks.map((c) => c.content).join()).toMatch(/Grace.*Arlington/);
  });
});
