import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { PrismaService } from '../src/database/prisma.service.js';
import { generateSigningKey } from './support/clerk-tokens.js';
import { HTTP_ENGINE, TEST_ENGINES } from './support/engines.js';
import { formOf, jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { sampleMarkdown } from './support/sample-text.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'acme';
const base = `/routes/knowledge/${TENANT}`;

describe.each(TEST_ENGINES)('knowledge API (%s)', (engine) => {
  let t: TestApp;
  let web: Server;
  let webBase: string;

  beforeAll(async () => {
    t = await startTestApp(engine, {
      MAX_UPLOAD_BYTES: String(256 * 1024),
      MAX_FILES_PER_REQUEST: '3',
      URL_FETCH_ALLOW_LOOPBACK: 'true',
      INGESTION_POLL_MS: '200',
    });
    web = createServer((req, res) => {
      if (req.url === '/article') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        res.end(
          '<html><head><title>Refund article</title></head><body><nav>Home | Pricing | Login</nav><main><h1>Refunds</h1>' +
            '<p>Refunds are paid within fourteen days of the returned parcel arriving at our warehouse.</p></main>' +
            '<footer>Copyright</footer><script>trackEverything()</script></body></html>',
        );
      } else if (req.url === '/moved') {
        res.writeHead(302, { location: '/article' });
        res.end();
      } else {
        res.writeHead(404).end('missing');
      }
    });
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webBase = `http://127.0.0.1:${(web.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => web?.close(r));
  });

  const create = (body: unknown): Promise<Response> => t.get(base, jsonInit('POST', body));
  const createForm = (form: FormData): Promise<Response> => t.get(base, { method: 'POST', body: form });

  it('serves the vocabularies the UI offers', async () => {
    const res = await t.get('/routes/knowledge/vocabulary');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { types: string[]; intents: string[]; accepted_file_types: string[] };
    expect(body.types).toEqual(expect.arrayContaining(['Technical', 'Reference']));
    expect(body.intents).toEqual(expect.arrayContaining(['Technical', 'Reference']));
    expect(body.accepted_file_types.join()).toMatch(/PDF/);
  });

  it('tells the web app that sign-in is off in development mode', async () => {
    const res = await t.get('/routes/knowledge/client-config');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ auth_mode: 'development', clerk_publishable_key: null });
  });

  it('creates an entry from pasted text: 202 queued, then ready with chunks and positions', async () => {
    const res = await create({ ...META, tags: ['HR', ' people ops '], text: sampleMarkdown(1) });
    expect(res.status).toBe(202);
    const created = (await res.json()) as EntryJson;
    expect(created).toEqual(expect.objectContaining({ title: META.title, tags: ['hr', 'people-ops'], document_count: 1, chunk_count: 0 }));
    expect(created.documents[0]).toEqual(expect.objectContaining({ source_kind: 'text', status: 'queued' }));

    const ready = await waitForSettled(t, TENANT, created.id);
    expect(ready.status).toBe('ready');
    expect(ready.documents[0]?.status).toBe('ready');
    expect(ready.documents[0]?.embedding_model).toBe('business-brain-lexical-v1'); // no OPENAI_API_KEY: offline
    expect(ready.chunk_count).toBeGreaterThan(1);
    expect(ready.documents[0]?.chunk_count).toBe(ready.chunk_count);

    const page = (await (await t.get(`${base}/${created.id}/chunks?limit=2&offset=1`)).json()) as {
      chunks: { position: number; content: string; char_start: number; char_end: number; token_count: number }[];
      total_count: number;
    };
    expect(page.total_count).toBe(ready.chunk_count);
    expect(page.chunks.map((c) => c.position)).toEqual([1, 2].filter((p) => p < ready.chunk_count));
    expect(page.chunks[0]?.char_end).toBeGreaterThan(page.chunks[0]?.char_start ?? 0);
    expect(page.chunks[0]?.token_count).toBeGreaterThan(0);
  });

  it('ingests space-free text, such as 2,000 random Chinese characters, to ready chunks that cover it', async () => {
    let x = 42;
    const text = Array.from({ length: 2_000 }, () => {
      x = (x * 1103515245 + 12345) % 2147483648;
      return String.fromCodePoint(0x4e00 + (x % 20_000));
    }).join('');
    const created = (await (await create({ ...META, title: 'Chinese', text })).json()) as EntryJson;
    const ready = await waitForSettled(t, TENANT, created.id);
    expect(ready.documents[0]).toEqual(expect.objectContaining({ status: 'ready', error: null }));
    const page = (await (await t.get(`${base}/${created.id}/chunks?limit=100`)).json()) as { chunks: { content: string; char_start: number; char_end: number }[] };
    expect(page.chunks[0]?.char_start).toBe(0);
    expect(page.chunks.at(-1)?.char_end).toBe(text.length);
    for (const chunk of page.chunks) expect(chunk.content).toBe(text.slice(chunk.char_start, chunk.char_end));
  });

  it('creates an entry from uploaded files (multipart) with tags as a comma list', async () => {
    const form = formOf({ ...META, title: 'Two files', tags: 'Alpha, beta gamma' }, [
      { name: 'notes.md', type: 'text/markdown', bytes: sampleMarkdown(2, 2, 2) },
      { name: 'page.html', type: 'text/html', bytes: `<html><body><main><h1>Title</h1><p>${sampleMarkdown(3, 1, 2)}</p></main></body></html>` },
    ]);
    const res = await createForm(form);
    expect(res.status).toBe(202);
    const created = (await res.json()) as EntryJson;
    expect(created.tags).toEqual(['alpha', 'beta-gamma']);
    expect(created.documents.map((d) => d.filename).sort()).toEqual(['notes.md', 'page.html']);
    const ready = await waitForSettled(t, TENANT, created.id);
    expect(ready.documents.map((d) => d.status)).toEqual(['ready', 'ready']);
  });

  it('answers 400 naming every failing field', async () => {
    const res = await create({ title: '', type: 'Gossip', intent: 'Nope', tags: 'x'.repeat(41), text: 'hello' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { details: { field: string }[] };
    expect(body.details.map((d) => d.field).sort()).toEqual(['intent', 'tags', 'title', 'type']);
    const missing = await create({ text: 'hello' });
    expect(((await missing.json()) as { details: { field: string }[] }).details.map((d) => d.field).sort()).toEqual(['intent', 'title', 'type']);
  });

  it('answers 400 without any source, and for a malformed or non-http URL', async () => {
    expect((await create(META)).status).toBe(400);
    const bad = await create({ ...META, url: 'not a url' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { message: string }).message).toMatch(/valid absolute URL/);
    const ftp = await create({ ...META, url: 'ftp://example.com/file.pdf' });
    expect(((await ftp.json()) as { message: string }).message).toMatch(/http or https/);
  });

  it('answers 415 for a file whose content is not an accepted type, whatever its name', async () => {
    const exe = Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'latin1'), Buffer.alloc(512, 0)]);
    const res = await createForm(formOf(META, [{ name: 'invoice.pdf', type: 'application/pdf', bytes: exe }]));
    expect(res.status).toBe(415);
    expect(((await res.json()) as { message: string }).message).toMatch(/PDF.*DOCX/);
  });

  it('answers 400 for an empty file and 413 beyond the size limit, storing nothing', async () => {
    const before = (await (await t.get(`${base}/index`)).json()) as { total_count: number };
    const empty = await createForm(formOf(META, [{ name: 'empty.txt', type: 'text/plain', bytes: '' }]));
    expect(empty.status).toBe(400);
    const big = await createForm(formOf(META, [{ name: 'big.txt', type: 'text/plain', bytes: 'a'.repeat(300 * 1024) }]));
    expect(big.status).toBe(413);
    const many = await createForm(
      formOf(META, [1, 2, 3, 4].map((i) => ({ name: `f${i}.txt`, type: 'text/plain', bytes: `file number ${i}` }))),
    );
    expect(many.status).toBe(400);
    const after = (await (await t.get(`${base}/index`)).json()) as { total_count: number };
    expect(after.total_count).toBe(before.total_count);
    expect((await t.get('/health')).status).toBe(200);
  });

  it('answers 409 naming the existing entry when the same file is uploaded again', async () => {
    const bytes = sampleMarkdown(9, 1, 1);
    const first = (await (await createForm(formOf({ ...META, title: 'Original' }, [{ name: 'a.md', bytes }]))).json()) as EntryJson;
    const again = await createForm(formOf({ ...META, title: 'Copy' }, [{ name: 'renamed.md', bytes }]));
    expect(again.status).toBe(409);
    expect(((await again.json()) as { message: string }).message).toContain(first.id);
  });

  it('fetches URL sources through the HTML extractor, following redirects', async () => {
    const created = (await (await create({ ...META, title: 'From the web', url: `${webBase}/moved` })).json()) as EntryJson;
    const ready = await waitForSettled(t, TENANT, created.id);
    expect(ready.documents[0]?.status).toBe('ready');
    const chunks = (await (await t.get(`${base}/${created.id}/chunks`)).json()) as { chunks: { content: string }[] };
    const text = chunks.chunks.map((c) => c.content).join('\n');
    expect(text).toMatch(/fourteen days/);
    expect(text).not.toMatch(/trackEverything|Login|Copyright/);
  });

  it('marks a URL that answers 404 as failed with a readable error; retry queues it again', async () => {
    const created = (await (await create({ ...META, title: 'Broken link', url: `${webBase}/gone` })).json()) as EntryJson;
    const failed = await waitForSettled(t, TENANT, created.id);
    expect(failed.status).toBe('failed');
    expect(failed.documents[0]?.error).toMatch(/HTTP 404/);
    const retry = await t.get(`${base}/${created.id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(202);
    expect(((await retry.json()) as { requeued: number }).requeued).toBe(1);
    const again = await waitForSettled(t, TENANT, created.id);
    expect(again.documents[0]?.status).toBe('failed');
  });

  it('fails a truncated PDF with a clear error instead of hanging or succeeding empty', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pa');
    const created = (await (await createForm(formOf({ ...META, title: 'Broken PDF' }, [{ name: 'broken.pdf', bytes: pdf }]))).json()) as EntryJson;
    const settled = await waitForSettled(t, TENANT, created.id);
    expect(settled.documents[0]?.status).toBe('failed');
    expect(settled.documents[0]?.error).toBeTruthy();
    expect(settled.chunk_count).toBe(0);
  });

  it('lists with filters on type, intent, tag, status and title', async () => {
    await create({ title: 'Quarterly pricing review', type: 'Sales', intent: 'Decision-making', tags: ['pricing'], text: 'Prices rise by four percent.' });
    const q = async (query: string): Promise<string[]> =>
      ((await (await t.get(`${base}/index?${query}`)).json()) as { entries: { title: string }[] }).entries.map((e) => e.title);
    expect(await q('type=Sales')).toEqual(['Quarterly pricing review']);
    expect(await q('intent=Decision-making')).toEqual(['Quarterly pricing review']);
    expect(await q('tag=Pricing')).toEqual(['Quarterly pricing review']);
    expect(await q('q=PRICING%20rev')).toEqual(['Quarterly pricing review']);
    expect(await q('q=%25')).toEqual([]);
    expect((await q('status=failed')).sort()).toEqual(['Broken PDF', 'Broken link']);
    expect((await t.get(`${base}/index?status=bogus`)).status).toBe(400);
  });

  it('patches metadata without re-embedding, and validates the patch', async () => {
    const created = (await (await create({ ...META, title: 'Patch me', text: sampleMarkdown(4, 1, 2) })).json()) as EntryJson;
    const ready = await waitForSettled(t, TENANT, created.id);
    const res = await t.get(`${base}/${created.id}`, jsonInit('PATCH', { title: 'Patched', tags: ['New Tag'] }));
    expect(res.status).toBe(200);
    const patched = (await res.json()) as EntryJson;
    expect(patched).toEqual(expect.objectContaining({ title: 'Patched', tags: ['new-tag'], type: META.type, chunk_count: ready.chunk_count }));
    expect((await t.get(`${base}/${created.id}`, jsonInit('PATCH', {}))).status).toBe(400);
    expect((await t.get(`${base}/${created.id}`, jsonInit('PATCH', { type: 'Gossip' }))).status).toBe(400);
    expect((await t.get(`${base}/00000000-0000-4000-8000-000000000000`, jsonInit('PATCH', { title: 'x' }))).status).toBe(404);
  });

  it('adds and removes sources; deleting the entry removes its chunks and embeddings', async () => {
    const created = (await (await create({ ...META, title: 'Grows', text: sampleMarkdown(5, 1, 2) })).json()) as EntryJson;
    await waitForSettled(t, TENANT, created.id);
    const added = await t.get(`${base}/${created.id}/documents`, { method: 'POST', body: formOf({}, [{ name: 'more.txt', bytes: sampleMarkdown(6, 1, 2) }]) });
    expect(added.status).toBe(202);
    const both = await waitForSettled(t, TENANT, created.id);
    expect(both.documents).toHaveLength(2);
    const [first, second] = both.documents;
    expect(both.chunk_count).toBe((first?.chunk_count ?? 0) + (second?.chunk_count ?? 0));

    expect((await t.get(`${base}/${created.id}/documents/${first?.id}`, { method: 'DELETE' })).status).toBe(204);
    const after = (await (await t.get(`${base}/${created.id}`)).json()) as EntryJson;
    expect(after.documents.map((d) => d.id)).toEqual([second?.id]);
    expect(after.chunk_count).toBe(second?.chunk_count);
    expect((await t.get(`${base}/${created.id}/documents/${first?.id}`, { method: 'DELETE' })).status).toBe(404);

    expect((await t.get(`${base}/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    expect((await t.get(`${base}/${created.id}`)).status).toBe(404);
    expect((await t.get(`${base}/${created.id}`, { method: 'DELETE' })).status).toBe(404);
    const prisma = t.app.get(PrismaService);
    expect(await prisma.embedding.count({ where: { knowledgeBaseId: created.id } })).toBe(0);
    expect(await prisma.document.count({ where: { knowledgeBaseId: created.id } })).toBe(0);
  });

  it('answers 404 for unknown or malformed ids', async () => {
    expect((await t.get(`${base}/not-a-uuid`)).status).toBe(404);
    expect((await t.get(`${base}/00000000-0000-4000-8000-000000000000`)).status).toBe(404);
    expect((await t.get(`${base}/00000000-0000-4000-8000-000000000000/chunks`)).status).toBe(404);
    expect((await t.get(`${base}/00000000-0000-4000-8000-000000000000/retry`, { method: 'POST' })).status).toBe(404);
  });

  it('streams status changes as server-sent events until the entry settles', async () => {
    const created = (await (await create({ ...META, title: 'Streamed', text: sampleMarkdown(7) })).json()) as EntryJson;
    const res = await t.get(`${base}/${created.id}/events`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const text = await res.text(); // the stream ends by itself once settled
    const events = text
      .split('\n\n')
      .filter((block) => block.includes('data:'))
      .map((block) => JSON.parse(block.split('\n').find((l) => l.startsWith('data:'))?.slice(5) ?? '{}') as EntryJson);
    expect(events.length).toBeGreaterThanOrEqual(1);
    expect(events.at(-1)?.status).toBe('ready');
    expect(text).toMatch(/event: status/);
  });
});

describe('client config', () => {
  const CLERK_JWT_KEY = generateSigningKey().publicPem;

  it('hands out the publishable key, without a session token', async () => {
    const t = await startTestApp(HTTP_ENGINE, { CLERK_JWT_KEY, CLERK_PUBLISHABLE_KEY: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k' });
    try {
      const res = await t.get('/routes/knowledge/client-config');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ auth_mode: 'clerk', clerk_publishable_key: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k' });
    } finally {
      await t.close();
    }
  });

  it('withholds a configured publishable key while sign-in is off (no secret or JWT key)', async () => {
    const t = await startTestApp(HTTP_ENGINE, { CLERK_PUBLISHABLE_KEY: 'pk_test_Y2xlcmsuZXhhbXBsZS5jb20k' });
    try {
      expect(await (await t.get('/routes/knowledge/client-config')).json()).toEqual({ auth_mode: 'development', clerk_publishable_key: null });
    } finally {
      await t.close();
    }
  });

  it('answers null for the key when none is configured', async () => {
    const t = await startTestApp(HTTP_ENGINE, { CLERK_JWT_KEY });
    try {
      expect(await (await t.get('/routes/knowledge/client-config')).json()).toEqual({ auth_mode: 'clerk', clerk_publishable_key: null });
    } finally {
      await t.close();
    }
  });
});
