import { createEmbeddingProvider } from '../../src/embeddings/providers/create-embedding-provider.js';
import { LexicalEmbeddingProvider } from '../../src/embeddings/providers/lexical-embedding-provider.js';
import { OpenAiEmbeddingProvider } from '../../src/embeddings/providers/openai-embedding-provider.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';

describe('createEmbeddingProvider', () => {
  const server = new FakeOpenAiServer();
  beforeAll(() => server.start());
  afterAll(() => server.close());

  it('uses the offline lexical provider without an API key, or with a blank one', () => {
    for (const options of [{}, { apiKey: '' }, { apiKey: '   ' }, { model: 'text-embedding-3-large' }]) {
      const provider = createEmbeddingProvider(options);
      expect(provider).toBeInstanceOf(LexicalEmbeddingProvider);
      expect(provider).toEqual(expect.objectContaining({ model: 'business-brain-lexical-v1', dimensions: 1536 }));
    }
  });

  it('reads nothing from the environment: configuration passes only through its options', () => {
    const saved = process.env['OPENAI_API_KEY'];
    process.env['OPENAI_API_KEY'] = 'sk-from-the-environment';
    try {
      expect(createEmbeddingProvider({})).toBeInstanceOf(LexicalEmbeddingProvider);
    } finally {
      if (saved === undefined) delete process.env['OPENAI_API_KEY'];
      else process.env['OPENAI_API_KEY'] = saved;
    }
  });

  it('uses OpenAI with a key, sized for the column, and talks to the configured base URL', async () => {
    const provider = createEmbeddingProvider({ apiKey: ` ${server.apiKey} `, baseURL: server.url, maxBatchInputs: 2 });
    expect(provider).toBeInstanceOf(OpenAiEmbeddingProvider);
    expect(provider).toEqual(expect.objectContaining({ model: 'text-embedding-3-small', dimensions: 1536 }));
    const vectors = await provider.embed(['one', 'two', 'three']);
    expect(vectors.map((v) => v.length)).toEqual([1536, 1536, 1536]);
    expect(server.inputsPerRequest()).toEqual([2, 1]);
    expect(createEmbeddingProvider({ apiKey: 'sk-x', model: 'text-embedding-3-large' }).model).toBe('text-embedding-3-large');
  });
});
