import { TEST_ENGINES } from './support/engines.js';
import { formOf, jsonInit, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const TENANT = 'nul-co';
const base = `/routes/knowledge/${TENANT}`;

interface ErrorBody {
  statusCode: number;
  message: string;
  request_id: string;
  details?: { field: string; problems: string[] }[];
}

/** U+0000 cannot be stored in PostgreSQL text, and no request field is nullable: both are 400s naming the field, never 500s. */
describe.each(TEST_ENGINES)('NUL characters and nulls in requests (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine);
  });
  afterAll(() => t?.close());

  const expect400 = async (res: Response, field: string): Promise<ErrorBody> => {
    const body = (await res.json()) as ErrorBody;
    expect({ status: res.status, body }).toEqual({ status: 400, body: expect.objectContaining({ statusCode: 400, request_id: expect.any(String) }) });
    expect(body.details?.map((d) => d.field)).toContain(field);
    expect(body.message).toContain(field);
    return body;
  };

  it.each([
    ['q=%00', 'q'],
    ['tag=%00', 'tag'],
    ['q=a%00b', 'q'],
    ['type=%00', 'type'],
  ])('the list refuses ?%s with a 400 naming %s', async (query, field) => {
    const body = await expect400(await t.get(`${base}/index?${query}`), field);
    expect(body.message).toMatch(/NUL character/);
  });

  it.each([
    ['title', { ...META, title: 'a\u0000b', text: 'hello' }],
    ['tags', { ...META, tags: ['ok', 'a\u0000b'], text: 'hello' }],
    ['text', { ...META, text: 'pasted\u0000text' }],
    ['url', { ...META, url: 'https://example.com/a\u0000b' }],
  ])('a JSON create with NUL in %s is a 400 naming it', async (field, body) => {
    await expect400(await t.get(base, jsonInit('POST', body)), field);
  });

  it('a multipart create with NUL in a text field is a 400 naming it', async () => {
    const form = formOf({ ...META, title: 'a\u0000b' }, [{ name: 'notes.txt', bytes: 'plain words' }]);
    await expect400(await t.get(base, { method: 'POST', body: form }), 'title');
  });

  it('a file named with a NUL is stored under the name without it', async () => {
    const form = formOf({ ...META, title: 'NUL in a file name' }, [{ name: 'a\u0000b.txt', type: 'text/plain', bytes: 'Words about the NUL file name test.' }]);
    const res = await t.get(base, { method: 'POST', body: form });
    expect(res.status).toBe(202);
    const entry = await waitForSettled(t, TENANT, ((await res.json()) as EntryJson).id);
    expect(entry.documents[0]?.filename).toBe('ab.txt');
    expect(entry.documents[0]?.status).toBe('ready');
  });

  it.each(['title', 'type', 'intent', 'tags'])('PATCH with %s: null is a 400 naming it, and changes nothing', async (field) => {
    const created = await t.get(base, jsonInit('POST', { ...META, title: `patch null ${field}`, text: `Text for the null ${field} patch.` }));
    expect(created.status).toBe(202);
    const entry = (await created.json()) as EntryJson;
    await expect400(await t.get(`${base}/${entry.id}`, jsonInit('PATCH', { [field]: null })), field);
    const after = (await (await t.get(`${base}/${entry.id}`)).json()) as EntryJson;
    expect({ title: after.title, type: after.type, intent: after.intent, tags: after.tags }).toEqual({
      title: entry.title,
      type: entry.type,
      intent: entry.intent,
      tags: entry.tags,
    });
  });

  it('PATCH with a NUL in the title is a 400', async () => {
    const entry = (await (await t.get(base, jsonInit('POST', { ...META, title: 'patch nul', text: 'Text for the NUL patch.' }))).json()) as EntryJson;
    await expect400(await t.get(`${base}/${entry.id}`, jsonInit('PATCH', { title: 'x\u0000' })), 'title');
  });

  it.each([
    ['search', { query: 'a\u0000b' }, 'query'],
    ['search', { query: 'leave', filters: { tags: ['a\u0000'] } }, 'filters.tags'],
    ['search', { query: 'leave', min_score: null }, 'min_score'],
    ['context', { query: 'a\u0000b' }, 'query'],
    ['answer', { question: 'a\u0000b' }, 'question'],
  ])('POST /%s with %j is a 400 naming %s', async (route, body, field) => {
    await expect400(await t.get(`${base}/${route}`, jsonInit('POST', body, { accept: 'application/json' })), field);
  });

  it('the streamed answer refuses a NUL before the stream starts', async () => {
    const res = await t.get(`${base}/answer`, jsonInit('POST', { question: 'a\u0000b' }, { accept: 'text/event-stream' }));
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    await expect400(res, 'question');
  });

  it('a NUL in a path parameter or the usage query is a 400', async () => {
    await expect400(await t.get(`${base}/%00`), 'id');
    await expect400(await t.get(`${base}/usage?from=%00`), 'from');
  });

  it('stores nothing from the refused requests', async () => {
    const list = (await (await t.get(`${base}/index?limit=100`)).json()) as { entries: { title: string }[] };
    expect(list.entries.map((e) => e.title).filter((title) => title.includes('\u0000'))).toEqual([]);
  });
});
