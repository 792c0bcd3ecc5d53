import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the fake does with one upcoming chat request. */
export type ChatBehaviour =
  /** Streams `parts` as deltas, then the usage (when given) and [DONE]. */
  | { kind: 'reply'; parts: string[]; usage?: { prompt: number; completion: number } }
  /** An error status with an OpenAI-shaped body; `retryAfterMs` becomes the retry-after-ms header. */
  | { kind: 'status'; status: number; retryAfterMs?: number; message?: string }
  /** Streams `parts`, then stays silent with the connection open (until the client or the server closes it). */
  | { kind: 'stall'; parts: string[] };

export interface ChatRequest {
  model: unknown;
  messages: { role: string; content: string }[];
  stream: unknown;
  maxTokens: unknown;
  /** Resolves when the connection of this request closed (the client cancelled, or the answer ended). */
  closed: Promise<void>;
}

/**
 * `POST /v1/chat/completions` for FakeOpenAiServer: streams scripted answers as OpenAI does
 * (server-sent `chat.completion.chunk` events, usage in the last chunk when asked, `[DONE]`), or
 * fails or stalls as scripted; without a script it answers what `respondWith` writes, or
 * "I don't know [1]".
 */
export class FakeChatCompletions {
  readonly requests: ChatRequest[] = [];
  private readonly script: ChatBehaviour[] = [];
  /** Writes the answer when nothing is scripted: a stand-in model that reads its prompt. */
  private responder: ((messages: { role: string; content: string }[]) => string) | null = null;

  respondWith(responder: ((messages: { role: string; content: string }[]) => string) | null): void {
    this.responder = responder;
  }

  program(...behaviours: ChatBehaviour[]): void {
    this.script.push(...behaviours);
  }

  reset(): void {
    this.requests.length = 0;
    this.script.length = 0;
    this.responder = null;
  }

  handle(res: ServerResponse, req: IncomingMessage, rawBody: string): void {
    const body = JSON.parse(rawBody) as { model?: unknown; messages?: { role: string; content: string }[]; stream?: unknown; max_tokens?: unknown; stream_options?: { include_usage?: boolean } };
    const closed = new Promise<void>((resolve) => res.on('close', () => resolve()));
    this.requests.push({ model: body.model, messages: body.messages ?? [], stream: body.stream, maxTokens: body.max_tokens, closed });
    const behaviour = this.script.shift() ?? { kind: 'reply', parts: [this.responder ? this.responder(body.messages ?? []) : "I don't know [1]"] };
    if (behaviour.kind === 'status') {
      res.writeHead(behaviour.status, { 'content-type': 'application/json', ...(behaviour.retryAfterMs === undefined ? {} : { 'retry-after-ms': String(behaviour.retryAfterMs) }) });
      res.end(JSON.stringify({ error: { message: behaviour.message ?? `scripted ${behaviour.status}`, type: 'server_error', code: null } }));
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    const chunk = (delta: Record<string, unknown>, extra: Record<string, unknown> = {}): void => {
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [{ index: 0, delta, finish_reason: null }], ...extra })}\n\n`);
    };
    chunk({ role: 'assistant', content: '' });
    for (const part of behaviour.parts) chunk({ content: part });
    if (behaviour.kind === 'stall') return; // never another byte
    if (behaviour.usage && body.stream_options?.include_usage) {
      res.write(`data: ${JSON.stringify({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', created: 0, model: body.model, choices: [], usage: { prompt_tokens: behaviour.usage.prompt, completion_tokens: behaviour.usage.completion, total_tokens: behaviour.usage.prompt + behaviour.usage.completion } })}\n\n`);
    }
    res.write('data: [DONE]\n\n');
    res.end();
    void req;
  }
}
