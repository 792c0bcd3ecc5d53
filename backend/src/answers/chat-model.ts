/** One message of a chat conversation, as OpenAI-compatible servers take it. */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant';
  content: string;
}

/** What a model streams: text as it is written, and (once, at the end, when the server tells) the tokens used. */
export type ChatPart = { text: string } | { usage: { promptTokens: number; completionTokens: number } };

/** A chat model's answer could not be had: after retries, a refusal, a stall or a broken stream. The message is safe to show. */
export class ChatModelError extends Error {
  constructor(
    message: string,
    /** `rate_limited`, `unavailable`, `timeout`, `refused`: what went wrong, for clients. */
    readonly code: string,
  ) {
    super(message);
    this.name = 'ChatModelError';
  }
}

/** A chat model that streams its answer. */
export interface ChatModel {
  readonly model: string;
  stream(messages: readonly ChatMessage[], options: { signal: AbortSignal; maxTokens: number }): AsyncIterable<ChatPart>;
}

export const CHAT_MODEL = Symbol('CHAT_MODEL');
