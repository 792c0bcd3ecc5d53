import { Tiktoken } from 'js-tiktoken/lite';
import cl100k from 'js-tiktoken/ranks/cl100k_base';

import { TEST_ENGINES } from './support/engines.js';
import { makePdf } from './support/fixtures/pdf-fixtures.js';
import { formOf, jsonInit, waitForSettled, type EntryJson } from './support/knowledge-client.js';
import { startTestApp, type TestApp } from './support/test-app.js';

interface SourceJson {
  number: number;
  knowledge_base_id: string;
  title: string;
  document_id: string;
  filename: string | null;
  page_start: number | null;
  page_end: number | null;
  char_start: number;
  char_end: number;
  score: number;
  chunk_ids: string[];
  truncated: boolean;
}

interface ContextJson {
  context: string;
  sources: SourceJson[];
  tokens: number;
  max_tokens: number;
  mode: string;
  embedding_model: string;
  took_ms: number;
}

const encoder = new Tiktoken(cl100k);
const tiktokenCount = (text: string): number => encoder.encode(text, [], []).length;

const LEAVE = 'Annual leave. Every employee receives twenty-five days of paid annual leave per calendar year, booked through the HR portal at least two weeks ahead.';
/** A long handbook: many chunks, neighbours overlapping. */
const HANDBOOK = Array.from(
  { length: 120 },
  (_, i) => `Section ${i + 1}. Onboarding step ${i + 1}: the new colleague meets the team, gets a laptop and reads the onboarding checklist item ${i + 1}.`,
).join('\n\n');
const filler = (topic: string): string => Array.from({ length: 40 }, (_, i) => `${topic} note ${i + 1} repeats the ${topic} instructions for the record.`).join(' ');
const MANUAL_PAGES = [
  `Installing the widget. Mount the bracket on a flat wall and connect the power supply. ${filler('mounting')}`,
  `Calibrating the sensor. ${filler('levelling')} Hold the sensor level for ten seconds until the light turns green.`,
  `Troubleshooting. Error E42 means the firmware is outdated: download the latest firmware and restart the widget. ${filler('firmware')}`,
];

describe.each(TEST_ENGINES)('context API (%s)', (engine) => {
  let t: TestApp;
  const ids: Record<string, EntryJson> = {};
  const context = async (body: unknown, tenant = 'acme'): Promise<Response> => t.get(`/routes/knowledge/${tenant}/context`, jsonInit('POST', body));
  const ok = async (body: unknown, tenant = 'acme'): Promise<ContextJson> => {
    const res = await context(body, tenant);
    expect(res.status).toBe(200);
    return (await res.json()) as ContextJson;
  };
  const settle = async (tenant: string, name: string, res: Response): Promise<void> => {
    expect(res.status).toBe(202);
    ids[name] = await waitForSettled(t, tenant, ((await res.json()) as EntryJson).id);
    expect(ids[name]?.status).toBe('ready');
  };
  const addText = async (tenant: string, name: string, title: string, text: string): Promise<void> =>
    settle(tenant, name, await t.get(`/routes/knowledge/${tenant}`, jsonInit('POST', { title, type: 'Policy', intent: 'Reference', text })));

  beforeAll(async () => {
    t = await startTestApp(engine, { INGESTION_POLL_MS: '100' });
    await addText('acme', 'leave', 'Leave policy', LEAVE);
    // the same paragraph uploaded again inside another entry
    await addText('acme', 'leaveCopy', 'Leave policy (old copy)', `${LEAVE} Archived.`);
    await addText('acme', 'handbook', 'Onboarding handbook', HANDBOOK);
    const form = formOf({ title: 'Widget manual', type: 'Product', intent: 'Support' }, [
      { name: 'manual.pdf', type: 'application/pdf', bytes: await makePdf({ pages: MANUAL_PAGES }) },
    ]);
    await settle('acme', 'manual', await t.get('/routes/knowledge/acme', { method: 'POST', body: form }));
    await addText('globex', 'globexLeave', 'Globex leave', `${LEAVE} Globex staff only.`);
  });
  afterAll(() => t?.close());

  it('packs the passages that answer under numbered sources, within the budget, counted exactly', async () => {
    const body = await ok({ query: 'how many days of annual leave do employees get' });
    expect(body).toEqual(expect.objectContaining({ max_tokens: 2000, mode: 'hybrid', embedding_model: 'business-brain-lexical-v1' }));
    expect(body.tokens).toBe(tiktokenCount(body.context));
    expect(body.tokens).toBeLessThanOrEqual(2000);
    expect(body.sources[0]).toEqual(expect.objectContaining({ number: 1, knowledge_base_id: ids['leave']?.id, title: 'Leave policy', truncated: false }));
    expect(body.context.startsWith(`[1] Leave policy\n${LEAVE}`)).toBe(true);
    body.sources.forEach((s, i) => {
      expect(s.number).toBe(i + 1);
      expect(body.context).toContain(`[${s.number}] ${s.title}`);
    });
  });

  it('leaves out a near-duplicate of a passage already included', async () => {
    const body = await ok({ query: 'annual leave days booked through the HR portal', max_tokens: 4000 });
    const entries = body.sources.map((s) => s.knowledge_base_id);
    expect(entries).toContain(ids['leave']?.id);
    expect(entries).not.toContain(ids['leaveCopy']?.id);
    expect(body.context.split('twenty-five days of paid annual leave')).toHaveLength(2);
  });

  it('merges neighbouring chunks of a document into one passage, each piece of text once', async () => {
    const handbook = ids['handbook'];
    expect(handbook.chunk_count).toBeGreaterThan(3);
    // a budget that holds the whole handbook: every chunk is retrieved, all neighbours merge
    const body = await ok({ query: 'onboarding checklist laptop team', mode: 'keyword', max_tokens: 16000, filters: { knowledge_base_ids: [handbook.id] } });
    expect(body.sources).toHaveLength(1);
    const [source] = body.sources;
    expect(source?.chunk_ids).toHaveLength(handbook.chunk_count);
    expect([source?.char_start, source?.char_end]).toEqual([0, HANDBOOK.length]);
    expect(body.context).toBe(`[1] Onboarding handbook\n${HANDBOOK}`);
    expect(body.tokens).toBe(tiktokenCount(body.context));
  });

  it('cites the page a PDF passage is on', async () => {
    const body = await ok({ query: 'error E42 firmware outdated', mode: 'keyword', max_tokens: 3000 });
    const manual = body.sources.find((s) => s.knowledge_base_id === ids['manual']?.id);
    expect(manual).toEqual(expect.objectContaining({ filename: 'manual.pdf', page_end: 3, truncated: false }));
    const pages = manual?.page_start === 3 ? 'page 3' : `pages ${manual?.page_start}-3`;
    const header = `[${manual?.number}] Widget manual (manual.pdf, ${pages})\n`;
    expect(body.context).toContain(header);
    expect(body.context.slice(body.context.indexOf(header) + header.length)).toMatch(/^[^[]*Error E42 means the firmware is outdated/);
  });

  it('cuts the last passage to a small budget, and never goes over it', async () => {
    for (const maxTokens of [1, 30, 64, 150]) {
      const body = await ok({ query: 'onboarding step laptop', max_tokens: maxTokens });
      expect(body.tokens).toBe(tiktokenCount(body.context));
      expect(body.tokens).toBeLessThanOrEqual(maxTokens);
    }
    const cut = await ok({ query: 'onboarding step laptop', mode: 'keyword', max_tokens: 150, filters: { knowledge_base_ids: [ids['handbook'].id] } });
    expect(cut.sources).toHaveLength(1);
    expect(cut.sources[0]?.truncated).toBe(true);
    expect(HANDBOOK.slice(cut.sources[0].char_start, cut.sources[0].char_end).length).toBeGreaterThan(0);
  });

  it('gives the same answer to the same request', async () => {
    const request = { query: 'calibrate the sensor until the light turns green', max_tokens: 700 };
    const { took_ms: _first, ...first } = await ok(request);
    const { took_ms: _second, ...second } = await ok(request);
    expect(second).toEqual(first);
  });

  it("never packs another tenant's text, and an empty tenant gets an empty context", async () => {
    const acme = await ok({ query: 'annual leave Globex staff', max_tokens: 16000 });
    expect(acme.context).not.toContain('Globex');
    const globex = await ok({ query: 'annual leave', max_tokens: 16000 }, 'globex');
    expect(globex.sources.map((s) => s.knowledge_base_id)).toEqual([ids['globexLeave']?.id]);
    expect(await ok({ query: 'annual leave' }, 'empty-co')).toEqual(expect.objectContaining({ context: '', sources: [], tokens: 0 }));
  });

  it('answers 400 naming the field for a bad request', async () => {
    const cases: [unknown, RegExp][] = [
      [{ query: '   ' }, /query/],
      [{ query: 'x', max_tokens: 0 }, /max_tokens/],
      [{ query: 'x', max_tokens: 16001 }, /max_tokens/],
      [{ query: 'x', max_tokens: 'lots' }, /max_tokens/],
      [{ query: 'x', mode: 'psychic' }, /mode/],
      [{ query: 'x', filters: { created_after: 'yesterday' } }, /created_after/],
      [{ query: 'x', surprise: true }, /surprise/],
    ];
    for (const [body, field] of cases) {
      const res = await context(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(JSON.stringify(await res.json())).toMatch(field);
    }
  });
});
