import { makePdfBomb } from './support/fixtures/pdf-fixtures.js';
import { TEST_ENGINES } from './support/engines.js';
import { formOf, META, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

describe.each(TEST_ENGINES)('a PDF bomb uploaded (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_POLL_MS: '200' });
  });
  afterAll(() => t?.close());

  it('fails with a readable reason instead of inflating its 500 MB content stream', async () => {
    const bomb = await makePdfBomb(500 * 1024 * 1024);
    const res = await t.get('/routes/knowledge/bomb-co', { method: 'POST', body: formOf({ ...META, title: 'Bomb' }, [{ name: 'report.pdf', bytes: bomb }]) });
    expect(res.status).toBe(202);
    const entry = await waitForSettled(t, 'bomb-co', ((await res.json()) as EntryJson).id);
    expect(entry.documents[0]).toEqual(
      expect.objectContaining({ status: 'failed', error: 'The PDF contains a stream that unpacks to an implausible size (a possible PDF bomb).' }),
    );
    expect(entry.chunk_count).toBe(0);
  });
});
