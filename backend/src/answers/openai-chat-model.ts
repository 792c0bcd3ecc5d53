import OpenAI, { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

import { redactApiKey } from '../embeddings/providers/redact-api-key.js';
import { retryPolicyFetch } from '../embeddings/providers/retry-policy-fetch.js';
import { ChatModelError, type ChatMessage, type ChatModel, type ChatPart } from './chat-model.js';

export interface OpenAiChatModelOptions {
  apiKey: string;
  /** An OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, ...); defaults to OpenAI's. */
  baseURL?: string;
  model: string;
  /** Per attempt, until the answer starts streaming. */
  timeoutMs: number;
  /** Longest silence between two streamed parts. */
  idleTimeoutMs: number;
  /** Retries on 429, 5xx, timeouts and connection errors before the answer starts (the SDK's, with backoff). */
  maxRetries: number;
}

/** The longest server-requested wait (Retry-After) honoured before giving up on an answer. */
const MAX_RETRY_AFTER_MS = 20_000;

/**
 * Chat completions streamed through the official openai SDK. The SDK retries 429, 5xx, timeouts
 * and dropped connections with exponential backoff before the stream starts; once it streams, a
 * silence longer than `idleTimeoutMs` ends it with a `timeout` error, and the caller's signal (the
 * client went away) cancels the request.
 */
export class OpenAiChatModel implements ChatModel {
  readonly model: string;
  private readonly client: OpenAI;
  private readonly apiKey: string;
  private readonly idleTimeoutMs: number;

  constructor(options: OpenAiChatModelOptions) {
    this.model = options.model;
    this.apiKey = options.apiKey;
    this.idleTimeoutMs = options.idleTimeoutMs;
    this.client = new OpenAI({
      apiKey: options.apiKey,
      baseURL: options.baseURL ?? 'https://api.openai.com/v1',
      timeout: options.timeoutMs,
      maxRetries: options.maxRetries,
      fetch: retryPolicyFetch(MAX_RETRY_AFTER_MS),
    });
  }

  async *stream(messages: readonly ChatMessage[], options: { signal: AbortSignal; maxTokens: number }): AsyncIterable<ChatPart> {
    // one controller for the request: aborted by the caller or by a silence
    const abort = new AbortController();
    const stop = (): void => abort.abort(options.signal.reason);
    if (options.signal.aborted) stop();
    options.signal.addEventListener('abort', stop, { once: true });
    let stalled = false;
    let idle: NodeJS.Timeout | undefined;
    const arm = (): void => {
      clearTimeout(idle);
      idle = setTimeout(() => {
        stalled = true;
        abort.abort(new Error('stalled'));
      }, this.idleTimeoutMs);
    };
    try {
      // until the answer starts, the SDK's timeout and retries apply; from then on, the silence limit
      const stream = await this.client.chat.completions.create(
        { model: this.model, messages: [...messages], stream: true, stream_options: { include_usage: true }, max_tokens: options.maxTokens, temperature: 0 },
        { signal: abort.signal },
      );
      arm();
      for await (const chunk of stream) {
        arm();
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield { text };
        if (chunk.usage) yield { usage: { promptTokens: chunk.usage.prompt_tokens, completionTokens: chunk.usage.completion_tokens } };
      }
      // the SDK ends an aborted stream quietly: a silence must not pass for the end of the answer
      if (stalled) throw new ChatModelError(this.stalledMessage(), 'timeout');
    } catch (error) {
      if (error instanceof ChatModelError) throw error;
      if (stalled) throw new ChatModelError(this.stalledMessage(), 'timeout');
      if (options.signal.aborted) throw error;
      throw toChatModelError(error, this.apiKey);
    } finally {
      clearTimeout(idle);
      options.signal.removeEventListener('abort', stop);
    }
  }

  private stalledMessage(): string {
    return `The language model stopped answering for ${this.idleTimeoutMs >= 1000 ? `${Math.round(this.idleTimeoutMs / 1000)} s` : `${this.idleTimeoutMs} ms`}`;
  }
}

/** What the client may be told: the status and the server's reason, never the key or the request. */
function toChatModelError(error: unknown, apiKey: string): ChatModelError {
  if (error instanceof APIUserAbortError) return new ChatModelError('The request to the language model was cancelled', 'unavailable');
  if (error instanceof APIConnectionTimeoutError) return new ChatModelError('The language model did not answer in time', 'timeout');
  if (error instanceof APIConnectionError) return new ChatModelError('The language model could not be reached', 'unavailable');
  if (error instanceof APIError) {
    const status: number = typeof error.status === 'number' ? error.status : 0;
    // the server's reason for a refused key quotes the key (masked): never pass it on
    if (status === 401 || status === 403) return new ChatModelError(`The language model refused the configured API key (${status})`, 'refused');
    const code = status === 429 ? 'rate_limited' : status >= 500 ? 'unavailable' : 'refused';
    const reason = typeof error.error === 'object' && error.error !== null && 'message' in error.error ? String((error.error as { message: unknown }).message) : '';
    return new ChatModelError(`The language model answered ${status}${reason ? `: ${redactApiKey(reason, apiKey).slice(0, 200)}` : ''}`, code);
  }
  return new ChatModelError(`The language model's answer broke off (${redactApiKey(error instanceof Error ? error.message : String(error), apiKey)})`, 'unavailable');
}
