import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

import { countTokens } from '../../chunking/tokenizer.js';
import { Semaphore } from '../../common/scheduling/semaphore.js';
import { abortReason } from '../../common/async/abort-reason.js';
import { EMBEDDING_DIMENSIONS } from '../vector-param.js';
import { planBatches } from './embedding-batches.js';
import { EmbeddingError, type EmbedOptions, type EmbeddingProvider } from './embedding-provider.js';
import { LEXICAL_MODEL } from './lexical-embedding-provider.js';
import { failureOf, type EmbeddingRequestObserver } from './embedding-request-sample.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import { redactApiKey } from './redact-api-key.js';
import { requestedWaitMs, retryPolicyFetch, type Fetch } from './retry-policy-fetch.js';

export interface OpenAiEmbeddingProviderOptions {
  apiKey: string;
  /** An OpenAI-compatible endpoint, e.g. `http://127.0.0.1:8080/v1`; defaults to OpenAI's. */
  baseURL?: string;
  model?: string;
  /** Sent as the API's `dimensions`, so text-embedding-3 models answer at the column's size. */
  dimensions?: number;
  /** Inputs per request; the API accepts up to 2048. */
  maxBatchInputs?: number;
  /** Tokens per request, summed over its inputs; the API accepts up to 300,000. */
  maxBatchTokens?: number;
  /** Requests in flight at once for one `embed` call. */
  maxConcurrency?: number;
  /** Per attempt; a timed-out attempt is retried. */
  timeoutMs?: number;
  /** Retries per request after the first attempt, with exponential backoff and jitter. */
  maxRetries?: number;
  /** The longest server-requested wait (Retry-After) honoured in-process; longer fails as transient. */
  maxRetryAfterMs?: number;
  /** For tests and proxies; defaults to the global fetch. */
  fetch?: Fetch;
  /** Told about every request (a batch) when it ends: its time, retries included, and outcome (metrics). */
  observe?: EmbeddingRequestObserver;
}

export const OPENAI_EMBEDDING_DEFAULTS = {
  baseURL: 'https://api.openai.com/v1',
  model: 'text-embedding-3-small',
  // 256 inputs of up to 512 tokens is ~131k tokens: well inside both request limits, and few
  // enough that one failed request costs little to redo.
  maxBatchInputs: 256,
  maxBatchTokens: 250_000,
  maxConcurrency: 4,
  timeoutMs: 60_000,
  maxRetries: 5,
  maxRetryAfterMs: 60_000,
} as const;

/** text-embedding-3-* and ada-002 reject an input longer than this. */
export const MAX_INPUT_TOKENS = 8191;
const API_MAX_BATCH_INPUTS = 2048;
const API_MAX_BATCH_TOKENS = 300_000;
// Only the text-embedding-3 generation accepts `dimensions`; ada-002 rejects the parameter.
const FIXED_DIMENSION_MODELS = new Set(['text-embedding-ada-002']);
// 400 bad request, 401 bad key, 403 no access, 404 unknown model, 422 invalid input: retrying
// the same request cannot help.
const PERMANENT_STATUSES = new Set([400, 401, 403, 404, 422]);

/**
 * Embeddings from OpenAI (or a compatible endpoint) through the official SDK. Inputs are split
 * into batches by count and by token budget and sent with bounded concurrency; vectors come
 * back in input order and are checked for count, size and finiteness. Retries are the SDK's
 * (see retry-policy-fetch.ts); what is left after them becomes an EmbeddingError.
 */
/** Semaphore priority of interactive calls: below every bulk call's (their call numbers count from 0). */
const INTERACTIVE_PRIORITY = -1;

export class OpenAiEmbeddingProvider implements EmbeddingProvider {
  readonly model: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly apiKey: string;
  private readonly maxBatchInputs: number;
  private readonly maxBatchTokens: number;
  /** Requests in flight across all calls; the earlier call's requests go first. */
  private readonly requests: Semaphore;
  private calls = 0;
  private readonly observe: EmbeddingRequestObserver;

  constructor(options: OpenAiEmbeddingProviderOptions) {
    if (!options.apiKey.trim()) throw new RangeError('OpenAiEmbeddingProvider needs an API key');
    this.apiKey = options.apiKey;
    this.model = options.model ?? OPENAI_EMBEDDING_DEFAULTS.model;
    this.dimensions = integerOption('dimensions', options.dimensions ?? EMBEDDING_DIMENSIONS, 1, 3072);
    this.maxBatchInputs = integerOption('maxBatchInputs', options.maxBatchInputs ?? OPENAI_EMBEDDING_DEFAULTS.maxBatchInputs, 1, API_MAX_BATCH_INPUTS);
    this.maxBatchTokens = integerOption('maxBatchTokens', options.maxBatchTokens ?? OPENAI_EMBEDDING_DEFAULTS.maxBatchTokens, 1, API_MAX_BATCH_TOKENS);
    this.requests = new Semaphore(integerOption('maxConcurrency', options.maxConcurrency ?? OPENAI_EMBEDDING_DEFAULTS.maxConcurrency, 1, 64));
    this.observe = options.observe ?? (() => undefined);
    const maxRetryAfterMs = integerOption('maxRetryAfterMs', options.maxRetryAfterMs ?? OPENAI_EMBEDDING_DEFAULTS.maxRetryAfterMs, 0, 3_600_000);
    this.client = new OpenAI({
      apiKey: options.apiKey,
      // Explicit, so the SDK reads none of OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID, OPENAI_LOG:
      // configuration comes from the app's validated config only.
      baseURL: options.baseURL ?? OPENAI_EMBEDDING_DEFAULTS.baseURL,
      organization: null,
      project: null,
      adminAPIKey: null,
      webhookSecret: null,
      timeout: integerOption('timeoutMs', options.timeoutMs ?? OPENAI_EMBEDDING_DEFAULTS.timeoutMs, 1, 600_000),
      maxRetries: integerOption('maxRetries', options.maxRetries ?? OPENAI_EMBEDDING_DEFAULTS.maxRetries, 0, 10),
      logLevel: 'off',
      fetch: retryPolicyFetch(maxRetryAfterMs, options.fetch),
    });
  }

  /**
   * An OpenAI-compatible endpoint serves several models, so any model name may be asked for; only
   * the offline embedder's vectors come from no endpoint. Whether the endpoint knows the model
   * shows when it answers (404 or 400: a permanent EmbeddingError).
   */
  servesModel(model: string): boolean {
    return model.trim() !== '' && !model.startsWith(LEXICAL_MODEL);
  }

  async embed(texts: readonly string[], signal?: AbortSignal, options: EmbedOptions = {}): Promise<number[][]> {
    signal?.throwIfAborted();
    const model = options.model ?? this.model;
    if (!this.servesModel(model)) throw new EmbeddingError(`${model} is the offline embedder's model, which no embeddings API serves`, false);
    if (texts.length === 0) return [];
    const batches = planBatches(this.tokenBounds(texts, model), this.maxBatchInputs, this.maxBatchTokens);
    // calls overlap (documents embedded part by part): the earlier call finishes first, so its chunks
    // can be stored; an interactive call (a search query) goes before all of them
    const call = options.interactive ? INTERACTIVE_PRIORITY : this.calls++;

    // One controller for every request of this call: the caller's abort, or the first failure, cancels the rest.
    const controller = new AbortController();
    const forwardAbort = (): void => controller.abort(signal?.reason);
    signal?.addEventListener('abort', forwardAbort, { once: true });
    try {
      // every request of the call waits for a place at once; the provider-wide limit decides when each goes
      const work = mapWithConcurrency(
        batches,
        batches.length,
        (batch) =>
          this.requests.run(() => {
            controller.signal.throwIfAborted(); // an earlier request of this call failed
            return this.timedBatch(model, texts.slice(batch.start, batch.end), controller.signal, options.interactive === true);
          }, call),
        () => controller.abort(),
      );
      const vectors = await (signal === undefined ? work : rejectOnAbort(work, signal));
      return vectors.flat();
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw this.toEmbeddingError(error);
    } finally {
      signal?.removeEventListener('abort', forwardAbort);
    }
  }

  /**
   * Per input, a token count good enough for batching: the UTF-8 byte length (never less than the
   * token count) when that is small enough not to matter, else the exact cl100k count.
   */
  private tokenBounds(texts: readonly string[], model: string): number[] {
    const cheapUpTo = Math.min(this.maxBatchTokens / this.maxBatchInputs, MAX_INPUT_TOKENS);
    return texts.map((text, i) => {
      if (typeof text !== 'string' || text.length === 0) {
        throw new EmbeddingError(`input ${i} is empty or not a string; the embeddings API rejects it`, false);
      }
      const bytes = Buffer.byteLength(text, 'utf8');
      if (bytes <= cheapUpTo) return bytes;
      const tokens = countTokens(text);
      if (tokens > MAX_INPUT_TOKENS) {
        throw new EmbeddingError(`input ${i} has ${tokens} tokens; ${model} accepts at most ${MAX_INPUT_TOKENS}`, false);
      }
      return tokens;
    });
  }

  private async timedBatch(model: string, inputs: string[], signal: AbortSignal, interactive: boolean): Promise<number[][]> {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    try {
      const vectors = await this.embedBatch(model, inputs, signal);
      this.observe({ interactive, seconds: seconds(), outcome: 'ok' });
      return vectors;
    } catch (error) {
      this.observe({ interactive, seconds: seconds(), ...failureOf(error, signal.aborted) });
      throw error;
    }
  }

  private async embedBatch(model: string, inputs: string[], signal: AbortSignal): Promise<number[][]> {
    const response = await this.client.embeddings.create(
      { model, input: inputs, ...(FIXED_DIMENSION_MODELS.has(model) ? {} : { dimensions: this.dimensions }) },
      { signal },
    );
    const data: unknown = response?.data;
    if (!Array.isArray(data) || data.length !== inputs.length) {
      const got = Array.isArray(data) ? data.length : 'no';
      throw new EmbeddingError(`the embeddings API returned ${got} embeddings for ${inputs.length} inputs`, true);
    }
    const vectors = new Array<number[] | undefined>(inputs.length);
    for (const item of data as { index?: unknown; embedding?: unknown }[]) {
      const index = item?.index;
      if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= inputs.length || vectors[index] !== undefined) {
        throw new EmbeddingError('the embeddings API returned a malformed or duplicate embedding index', true);
      }
      vectors[index] = this.checkedVector(model, item.embedding);
    }
    return vectors as number[][];
  }

  private checkedVector(model: string, embedding: unknown): number[] {
    if (!Array.isArray(embedding)) throw new EmbeddingError('the embeddings API returned an embedding that is not a list of numbers', true);
    if (embedding.length !== this.dimensions) {
      // Deterministic for this model and settings, so retrying is pointless.
      throw new EmbeddingError(
        `${model} returned ${embedding.length}-dimensional vectors; ${this.dimensions} are required`,
        false,
      );
    }
    for (const value of embedding) {
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        throw new EmbeddingError(`${model} returned a vector with a non-finite value`, false);
      }
    }
    return embedding as number[];
  }

  private toEmbeddingError(error: unknown): EmbeddingError {
    if (error instanceof EmbeddingError) return error;
    if (error instanceof APIConnectionTimeoutError) {
      return new EmbeddingError('the embeddings API did not answer in time, after every retry', true);
    }
    if (error instanceof APIUserAbortError) return new EmbeddingError('the embeddings request was cancelled', true);
    if (error instanceof APIConnectionError) {
      return new EmbeddingError(`could not reach the embeddings API, after every retry: ${this.redact(error.message)}`, true);
    }
    if (error instanceof APIError && typeof error.status === 'number') {
      const status = error.status;
      const quota = error.code === 'insufficient_quota' || error.type === 'insufficient_quota';
      const transient = !quota && !PERMANENT_STATUSES.has(status) && (status === 408 || status === 409 || status === 429 || status >= 500);
      const requestId = error.requestID ? ` (request ${error.requestID})` : '';
      const waitMs = status === 429 && error.headers instanceof Headers ? requestedWaitMs(error.headers) : undefined;
      const retryAfter = waitMs === undefined ? '' : ` (asked to retry after ${Math.ceil(waitMs / 1000)} s)`;
      return new EmbeddingError(`the embeddings API answered ${this.redact(error.message)}${retryAfter}${requestId}`, transient, status);
    }
    // A body that is not the documented JSON (a proxy's error page, a truncated response).
    const detail = error instanceof Error ? `: ${this.redact(error.message)}` : '';
    return new EmbeddingError(`the embeddings API returned a malformed response${detail}`, true);
  }

  private redact(message: string): string {
    return redactApiKey(message, this.apiKey);
  }
}

/**
 * Settles with `work`, or rejects with the abort reason as soon as `signal` fires: the SDK's
 * backoff sleep cannot be interrupted, and a shutting-down worker should not wait it out. The
 * requests themselves are cancelled through the same signal; their late rejection is ignored.
 */
function rejectOnAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  work.catch(() => undefined);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = (): void => reject(abortReason(signal));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}

function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new RangeError(`${name} must be an integer from ${min} to ${max}, got ${value}`);
  }
  return value;
}
