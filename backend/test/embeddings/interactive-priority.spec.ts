import { OpenAiEmbeddingProvider } from '../../src/embeddings/providers/openai-embedding-provider.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';

/** A search query waiting for an embedding request goes before the ingestion work queued ahead of it. */
describe('OpenAiEmbeddingProvider: interactive calls first', () => {
  const server = new FakeOpenAiServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  it('serves an interactive call before bulk calls that were waiting longer', async () => {
    const provider = new OpenAiEmbeddingProvider({ apiKey: server.apiKey, baseURL: server.url, maxConcurrency: 1, maxRetries: 0 });
    server.holdInputsMatching(/^bulk 1/);
    const bulk = [1, 2, 3].map((n) => provider.embed([`bulk ${n} a`, `bulk ${n} b`]));
    // the first bulk request holds the only place; the other two wait for it
    while (server.heldCount === 0) await new Promise((resolve) => setImmediate(resolve));
    const query = provider.embed(['where is the refund policy'], undefined, { interactive: true });
    server.releaseHeld();
    await Promise.all([...bulk, query]);
    // requests in the order they reached the server: bulk 1 (2 inputs), the query (1), then bulk 2 and 3
    expect(server.inputsPerRequest()).toEqual([2, 1, 2, 2]);
  });
});
