import type { BeirDataset } from '../src/evaluation/beir-dataset.js';
import { claimsOf, evaluateCitations, evaluateContext } from '../src/evaluation/answer-evaluation.js';
import { ingestCorpus } from '../src/evaluation/evaluate.js';
import { HTTP_ENGINE } from './support/engines.js';
import { FakeOpenAiServer } from './support/fake-openai-server.js';
import { startTestApp, type TestApp } from './support/test-app.js';

const DATASET: BeirDataset = {
  corpus: [
    { id: 'leave', title: 'Annual leave', text: 'Every employee receives twenty-five days of paid annual leave per calendar year.' },
    { id: 'expenses', title: 'Travel expenses', text: 'Travel expenses are reimbursed within thirty days when itemised receipts are attached.' },
    { id: 'security', title: 'Passwords', text: 'Passwords must be at least fourteen characters long and kept in the company password manager.' },
    { id: 'widget', title: 'Widget calibration', text: 'Hold the sensor level for ten seconds until the light on the widget turns green.' },
    { id: 'firmware', title: 'Error E42', text: 'Error E42 means the firmware is outdated; download the latest firmware and restart.' },
  ],
  queries: [
    { id: 'q1', text: 'How many days of paid annual leave does an employee get?' },
    { id: 'q2', text: 'How long must passwords be?' },
    { id: 'q3', text: 'What does error E42 mean?' },
  ],
  qrels: new Map([
    ['q1', new Map([['leave', 2]])],
    ['q2', new Map([['security', 2]])],
    ['q3', new Map([['firmware', 2]])],
  ]),
};

/** Source `n`'s text in the prompt: the line after its `[n] Title` line. */
const sourceText = (messages: { content: string }[], n: number): string => {
  const lines = (messages.at(-1)?.content ?? '').split('\n');
  const at = lines.findIndex((line) => line.startsWith(`[${n}] `));
  return at >= 0 ? (lines[at + 1] ?? '') : '';
};

/** The citation check of the evaluation, against stand-in models that cite well and badly. */
describe(`answer evaluation (${HTTP_ENGINE})`, () => {
  let t: TestApp;
  let fake: FakeOpenAiServer;
  let entries: Map<string, string>;
  const target = (): { baseUrl: string; tenant: string } => ({ baseUrl: t.baseUrl, tenant: 'eval' });

  beforeAll(async () => {
    fake = await new FakeOpenAiServer().start();
    t = await startTestApp(HTTP_ENGINE, { INGESTION_POLL_MS: '100', OPENAI_API_KEY: fake.apiKey, OPENAI_BASE_URL: fake.url, OPENAI_CHAT_MODEL: 'fake-chat-1' });
    entries = await ingestCorpus(target(), DATASET.corpus);
  });
  afterAll(async () => {
    await t?.close();
    await fake?.close();
  });

  it('splits an answer into claims with the citations that follow them', () => {
    expect(claimsOf('Leave is 25 days [1]. Passwords are long. [2][3] I am not sure')).toEqual([
      { text: 'Leave is 25 days', cites: [1] },
      { text: 'Passwords are long.', cites: [2, 3] },
      { text: 'I am not sure', cites: [] },
    ]);
  });

  it('counts the claims of a model that quotes the source it cites as held by it', async () => {
    fake.chat.respondWith((messages) => `${sourceText(messages, 1)} [1]`);
    const report = await evaluateCitations(target(), DATASET, entries);
    expect(report).toEqual(expect.objectContaining({ model: 'fake-chat-1', queries: 3, claims: 3, cited: 1, supported: 1, supportedOfCited: 1 }));
  });

  it('counts the claims of a model that cites the wrong source as not held', async () => {
    fake.chat.respondWith((messages) => `${sourceText(messages, 1)} [2]`);
    const report = await evaluateCitations(target(), DATASET, entries);
    expect(report).toEqual(expect.objectContaining({ claims: 3, cited: 1, supported: 0 }));
  });

  it('measures how much of what is relevant a context holds', async () => {
    const [small] = await evaluateContext(target(), DATASET, entries, ['keyword'], 30);
    const [large] = await evaluateContext(target(), DATASET, entries, ['keyword'], 2000);
    expect(large?.contextRecall).toBe(1);
    expect(small?.contextRecall).toBeLessThanOrEqual(large?.contextRecall ?? 0);
    expect(small?.meanTokens).toBeLessThanOrEqual(30);
  });
});
