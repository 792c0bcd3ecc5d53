import { countTokens } from '../../src/chunking/tokenizer.js';
import { EmbeddingError } from '../../src/embeddings/providers/embedding-provider.js';
import { OpenAiEmbeddingProvider, type OpenAiEmbeddingProviderOptions } from '../../src/embeddings/providers/openai-embedding-provider.js';
import { FakeOpenAiServer } from '../support/fake-openai-server.js';

/** Distinct short texts: "passage 0 about invoices", ... */
const passages = (count: number): string[] => Array.from({ length: count }, (_, i) => `passage ${i} about ${['invoices', 'tenants', 'payroll', 'search'][i % 4]}`);

/** A text of roughly `tokens` cl100k tokens (one token per " wordN" pair is close enough here). */
const longText = (tokens: number, seed = 0): string => Array.from({ length: tokens / 2 }, (_, i) => `w${(i + seed) % 97}`).join(' ');

async function rejection(promise: Promise<unknown>): Promise<EmbeddingError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EmbeddingError) return error;
    throw error;
  }
  throw new Error('expected the call to reject');
}

const gaps = (times: number[]): number[] => times.slice(1).map((t, i) => t - (times[i]));

describe('OpenAiEmbeddingProvider (real openai SDK against a fake server)', () => {
  const server = new FakeOpenAiServer();
  const provider = (options: Partial<OpenAiEmbeddingProviderOptions> = {}): OpenAiEmbeddingProvider =>
    new OpenAiEmbeddingProvider({ apiKey: server.apiKey, baseURL: server.url, ...options });

  beforeAll(() => server.start());
  afterAll(() => server.close());
  beforeEach(() => {
    server.reset();
    server.latencyMs = 0;
  });

  it('returns one 1536-dimensional vector per input, in order, decoded from base64 float32', async () => {
    const texts = passages(5);
    const vectors = await provider().embed(texts);
    expect(vectors).toHaveLength(5);
    vectors.forEach((vector, i) => {
      expect(vector).toHaveLength(1536);
      const expected = server.vectorFor(texts[i]);
      // float32 on the wire: equal to ~7 significant digits.
      vector.forEach((value, d) => expect(value).toBeCloseTo(expected[d], 6));
    });
    expect(server.requests).toEqual([
      expect.objectContaining({ status: 200, inputs: 5, model: 'text-embedding-3-small', dimensions: 1536, encodingFormat: 'base64' }),
    ]);
  });

  it('sends no request for no input, and no dimensions to ada-002, which rejects them', async () => {
    expect(await provider().embed([])).toEqual([]);
    expect(server.requestCount).toBe(0);
    await provider({ model: 'text-embedding-ada-002' }).embed(['one']);
    expect(server.requests[0]).toEqual(expect.objectContaining({ model: 'text-embedding-ada-002', dimensions: undefined }));
  });

  it('splits inputs into batches of at most maxBatchInputs', async () => {
    const texts = passages(25);
    const vectors = await provider({ maxBatchInputs: 10 }).embed(texts);
    expect(vectors).toHaveLength(25);
    expect(server.inputsPerRequest().sort((a, b) => b - a)).toEqual([10, 10, 5]);
  });

  it('splits inputs into batches by token budget as well', async () => {
    const texts = Array.from({ length: 12 }, (_, i) => longText(1000, i));
    const largest = Math.max(...texts.map((text) => countTokens(text)));
    // Room for two inputs per request, never three.
    const maxBatchTokens = Math.floor(2.5 * largest);
    await provider({ maxBatchTokens }).embed(texts);
    expect(Math.max(...server.requests.map((r) => r.tokens))).toBeLessThanOrEqual(maxBatchTokens);
    expect(server.inputsPerRequest()).toEqual([2, 2, 2, 2, 2, 2]);
  });

  it('stays inside the API limits with its defaults: 1,000 chunks of ~512 tokens in 4 requests, sent together', async () => {
    server.holdUntilInFlight(4); // answers nothing until all four requests are in flight: they must be sent concurrently
    const texts = Array.from({ length: 1000 }, (_, i) => longText(512, i));
    const vectors = await provider().embed(texts);
    expect(vectors).toHaveLength(1000);
    expect(server.requests.every((r) => r.status === 200 && r.inputs <= 256 && r.tokens <= 250_000)).toBe(true);
    expect(server.requestCount).toBe(4);
    expect(server.maxInFlight).toBe(4);
  });

  it('keeps input order when later batches finish first, with at most maxConcurrency requests in flight', async () => {
    server.holdUntilInFlight(3); // the first three are answered once all three are in flight, the first two last
    server.program({ kind: 'delay', ms: 400 }, { kind: 'delay', ms: 200 });
    const texts = passages(12);
    const vectors = await provider({ maxBatchInputs: 2, maxConcurrency: 3 }).embed(texts);
    vectors.forEach((vector, i) => expect(vector[0]).toBeCloseTo(server.vectorFor(texts[i])[0], 6));
    expect(server.requestCount).toBe(6);
    expect(server.maxInFlight).toBe(3);
  });

  it('waits as long as Retry-After (seconds) asks after a 429, then succeeds', async () => {
    server.program({ kind: 'rate-limit', retryAfter: '1' });
    const vectors = await provider().embed(['rate limited once']);
    expect(vectors).toHaveLength(1);
    expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
    expect(gaps(server.timestamps())[0]).toBeGreaterThanOrEqual(950);
  });

  it('rejects with the abort reason promptly when the caller aborts, even during a backoff', async () => {
    const aborted = new AbortController();
    aborted.abort(new Error('shutting down'));
    await expect(provider().embed(['x'], aborted.signal)).rejects.toThrow('shutting down');
    expect(server.requestCount).toBe(0);

    // an hour's backoff: only the abort can end this before the test times out
    server.program({ kind: 'rate-limit', retryAfter: '3600' });
    const controller = new AbortController();
    const pending = provider({ maxRetryAfterMs: 3_600_000 }).embed(['x'], controller.signal);
    await server.requestsAnswered(1);
    controller.abort(new Error('job cancelled'));
    await expect(pending).rejects.toThrow('job cancelled');
    expect(server.requestCount).toBe(1);
  });

  it('honours retry-after-ms, and Retry-After as an HTTP date', async () => {
    server.program({ kind: 'rate-limit', retryAfterMs: 1200 });
    await provider().embed(['x']);
    // The SDK's own first backoff is at most 500 ms, so this wait came from the header.
    expect(gaps(server.timestamps())[0]).toBeGreaterThanOrEqual(1150);

    server.reset();
    server.program({ kind: 'rate-limit', retryAfterDateInMs: 2000 });
    await provider().embed(['x']);
    // An HTTP date has whole seconds, so the wait is between 1 and 2 s.
    expect(gaps(server.timestamps())[0]).toBeGreaterThanOrEqual(900);
  });

  it('retries a 500, a 503 and a dropped connection with growing backoff, then succeeds', async () => {
    server.program({ kind: 'status', status: 500 }, { kind: 'status', status: 503 }, { kind: 'drop' });
    const vectors = await provider().embed(['flaky upstream']);
    expect(vectors).toHaveLength(1);
    expect(server.requests.map((r) => r.status)).toEqual([500, 503, 0, 200]);
    const [first, second, third] = gaps(server.timestamps()) as [number, number, number];
    // 0.5 s, 1 s, 2 s, each less up to 25% jitter (a busy machine only adds to the gaps)
    expect(first).toBeGreaterThanOrEqual(350);
    expect(second).toBeGreaterThanOrEqual(700);
    expect(third).toBeGreaterThanOrEqual(1400);
  });

  it('gives up after maxRetries with a transient EmbeddingError carrying the status', async () => {
    server.program(...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 502 })));
    const error = await rejection(provider({ maxRetries: 2 }).embed(['down']));
    expect(error).toEqual(expect.objectContaining({ transient: true, status: 502 }));
    expect(server.requestCount).toBe(3);
  });

  it('fails a bad key at once as non-transient, without the key in the message', async () => {
    const apiKey = 'sk-proj-wrongkey0123456789WXYZ';
    const error = await rejection(provider({ apiKey }).embed(['x']));
    expect(error).toEqual(expect.objectContaining({ transient: false, status: 401 }));
    expect(server.requestCount).toBe(1);
    expect(error.message).toMatch(/Incorrect API key/);
    for (const fragment of [apiKey, 'sk-pr', 'WXYZ']) expect(error.message).not.toContain(fragment);
  });

  it.each([400, 403, 404, 422])('does not retry a %i and reports it as non-transient', async (status) => {
    server.program({ kind: 'status', status, message: `refused; key was ${server.apiKey}` });
    const error = await rejection(provider().embed(['x']));
    expect(error).toEqual(expect.objectContaining({ transient: false, status }));
    expect(error.message).not.toContain(server.apiKey);
    expect(server.requestCount).toBe(1);
  });

  it('does not retry a 429 for an exhausted quota, which no wait will fix', async () => {
    server.program({ kind: 'rate-limit', code: 'insufficient_quota' });
    const error = await rejection(provider().embed(['x']));
    expect(error).toEqual(expect.objectContaining({ transient: false, status: 429 }));
    expect(server.requestCount).toBe(1);
  });

  it('fails fast as transient when Retry-After asks for longer than maxRetryAfterMs', async () => {
    // waiting the 120 s out would outlast the test's timeout
    server.program({ kind: 'rate-limit', retryAfter: '120' });
    const error = await rejection(provider({ maxRetryAfterMs: 30_000 }).embed(['x']));
    expect(error).toEqual(expect.objectContaining({ transient: true, status: 429 }));
    expect(error.message).toMatch(/120 s/);
    expect(server.requestCount).toBe(1);
  });

  it('retries a response slower than timeoutMs and succeeds when the retry is quick', async () => {
    server.program({ kind: 'hold' });
    const vectors = await provider({ timeoutMs: 1500 }).embed(['slow once']);
    expect(vectors).toHaveLength(1);
    expect(server.requestCount).toBe(2);
  });

  it('reports timeouts as transient once retries are exhausted', async () => {
    server.program({ kind: 'hold' }, { kind: 'hold' });
    const started = performance.now();
    const error = await rejection(provider({ timeoutMs: 250, maxRetries: 1 }).embed(['always slow']));
    expect(error.transient).toBe(true);
    // Under plain Node the SDK reports a timeout ("did not answer in time"). Inside jest's vm
    // context fetch's AbortError comes from another realm, fails the SDK's `instanceof Error`
    // and loses its name, so the SDK calls it a connection error: transient either way.
    expect(error.message).toMatch(/did not answer in time|could not reach the embeddings API/);
    expect(server.requestCount).toBe(2);
    expect(performance.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('rejects vectors of the wrong size as non-transient, without retrying', async () => {
    server.program({ kind: 'dimensions', dimensions: 768 });
    const error = await rejection(provider().embed(['x', 'y']));
    expect(error.transient).toBe(false);
    expect(error.message).toMatch(/768-dimensional/);
    expect(server.requestCount).toBe(1);
  });

  it('rejects a malformed body and a short response as transient', async () => {
    server.program({ kind: 'malformed' });
    expect(await rejection(provider().embed(['x']))).toEqual(expect.objectContaining({ transient: true }));
    server.program({ kind: 'missing-embedding' });
    const error = await rejection(provider().embed(['x', 'y']));
    expect(error).toEqual(expect.objectContaining({ transient: true }));
    expect(error.message).toMatch(/1 embeddings for 2 inputs/);
  });

  it('refuses an empty input or one over the 8191-token limit before sending anything', async () => {
    expect(await rejection(provider().embed(['fine', '']))).toEqual(expect.objectContaining({ transient: false }));
    const error = await rejection(provider().embed([longText(9000)]));
    expect(error).toEqual(expect.objectContaining({ transient: false }));
    expect(error.message).toMatch(/input 0 has \d+ tokens/);
    expect(server.requestCount).toBe(0);
  });

  it('cancels the other batches after a permanent failure', async () => {
    server.latencyMs = 300;
    server.program({ kind: 'status', status: 400 });
    const error = await rejection(provider({ maxBatchInputs: 1, maxConcurrency: 2 }).embed(passages(10)));
    expect(error.status).toBe(400);
    // The first failure stops new batches: only the two started together were sent.
    expect(server.requestCount).toBe(2);
  });

  it('embeds with another model when a call asks for one, and serves every model but the offline one', async () => {
    const TEXT = 'quarterly revenue grew in the northern region while the cost of freight fell';
    const p = provider({ model: 'text-embedding-3-large' });
    const [configured] = await p.embed([TEXT]);
    const [previous] = await p.embed([TEXT], undefined, { model: 'text-embedding-3-small', interactive: true });
    expect(server.requests.map((r) => r.model)).toEqual(['text-embedding-3-large', 'text-embedding-3-small']);
    configured?.forEach((value, d) => expect(value).toBeCloseTo(server.vectorFor(TEXT, 1536, 'text-embedding-3-large')[d] ?? NaN, 6));
    previous?.forEach((value, d) => expect(value).toBeCloseTo(server.vectorFor(TEXT)[d] ?? NaN, 6));
    // two models' vectors of one text are unrelated (the fake server draws them apart, as real models are)
    const cosine = (configured ?? []).reduce((sum, value, d) => sum + value * (previous?.[d] ?? 0), 0);
    expect(Math.abs(cosine)).toBeLessThan(0.05);
    expect(Math.hypot(...(configured ?? []))).toBeCloseTo(1, 5);
    expect(p.model).toBe('text-embedding-3-large');
    expect([p.servesModel('text-embedding-3-small'), p.servesModel('nomic-embed-text'), p.servesModel('business-brain-lexical-v1')]).toEqual([true, true, false]);
    expect((await rejection(p.embed(['x'], undefined, { model: 'business-brain-lexical-v1' }))).transient).toBe(false);
    expect(server.requestCount).toBe(2);
  });

  it('validates its options', () => {
    expect(() => provider({ apiKey: ' ' })).toThrow(RangeError);
    expect(() => provider({ maxBatchInputs: 4096 })).toThrow(RangeError);
    expect(() => provider({ maxBatchTokens: 400_000 })).toThrow(RangeError);
    expect(() => provider({ maxConcurrency: 0 })).toThrow(RangeError);
    expect(provider().model).toBe('text-embedding-3-small');
    expect(provider().dimensions).toBe(1536);
  });
});
