import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { countTokens } from '../../src/chunking/tokenizer.js';
import { LexicalEmbeddingProvider } from '../../src/embeddings/providers/lexical-embedding-provider.js';
import { FakeChatCompletions } from './fake-chat-completions.js';

/** What the server does with one upcoming authorised request, instead of answering normally. */
export type ProgrammedResponse =
  /** Any error status with an OpenAI-shaped error body. */
  | { kind: 'status'; status: number; headers?: Record<string, string>; code?: string; message?: string }
  /** 429; `retryAfter` is the Retry-After header (seconds or an HTTP date). */
  | {
      kind: 'rate-limit';
      retryAfter?: string;
      retryAfterMs?: number;
      /** Retry-After as an HTTP date this many ms after the answer is sent. */
      retryAfterDateInMs?: number;
      code?: string;
    }
  /** Answers normally after `ms` more milliseconds. */
  | { kind: 'delay'; ms: number }
  /** 200 with a body that is not JSON. */
  | { kind: 'malformed' }
  /** Answers normally but with vectors of this size. */
  | { kind: 'dimensions'; dimensions: number }
  /** Answers normally but leaves out the last embedding. */
  | { kind: 'missing-embedding' }
  /** Closes the connection without answering. */
  | { kind: 'drop' }
  /** Never answers (until the server closes): a request the client must still be waiting on. */
  | { kind: 'hold' };

export interface RecordedRequest {
  /** ms since start(), when the request arrived. */
  at: number;
  authorized: boolean;
  status: number;
  inputs: number;
  tokens: number;
  model: unknown;
  dimensions: unknown;
  encodingFormat: unknown;
}

interface EmbeddingsBody {
  input?: unknown;
  model?: unknown;
  dimensions?: unknown;
  encoding_format?: unknown;
}

/**
 * An OpenAI-compatible `POST /v1/embeddings` on 127.0.0.1, for driving the real openai SDK in
 * tests: it checks the bearer key and the API's limits (2048 inputs, 8192 tokens per input,
 * 300,000 per request), answers deterministic vectors (the lexical provider's, its coordinates
 * shuffled and their signs flipped by a pattern drawn from the model's name: search within one
 * model is as meaningful as lexical search, while the same text gets unrelated vectors from two
 * models, as with real ones) as floats or as base64 little-endian float32 (what the SDK asks for), and can be
 * scripted to fail, stall or misbehave on the next requests.
 */
export class FakeOpenAiServer {
  /** Added to every request before it is answered. */
  latencyMs: number;
  readonly apiKey: string;
  readonly requests: RecordedRequest[] = [];
  /** Requests being handled right now, and the most ever at once since the last reset(). */
  inFlight = 0;
  maxInFlight = 0;
  readonly limits = { maxInputs: 2048, maxInputTokens: 8192, maxRequestTokens: 300_000 };
  /** `POST /v1/chat/completions`: scripted streamed answers (see FakeChatCompletions). */
  readonly chat = new FakeChatCompletions();
  private readonly queue: ProgrammedResponse[] = [];
  /** Requests held until `count` of them have arrived (see holdUntilInFlight). */
  private gate: { count: number; arrived: number; open: () => void; opened: Promise<void> } | null = null;
  /** Requests with an input matching this are held until `releaseHeld()`. */
  private holdPattern: { pattern: RegExp; released: Promise<void>; release: () => void } | null = null;
  /** Responses finished since the last reset(), and who waits for a number of them. */
  private answered = 0;
  private readonly answeredWaiters: { count: number; resolve: () => void }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly vectorizers = new Map<number, LexicalEmbeddingProvider>();
  private readonly modelMaps = new Map<string, { target: Uint32Array; sign: Int8Array }>();
  private server: Server | undefined;
  private startedAt = 0;
  private port = 0;

  constructor(options: { apiKey?: string; latencyMs?: number } = {}) {
    this.apiKey = options.apiKey ?? 'sk-test-fake-0123456789abcdef';
    this.latencyMs = options.latencyMs ?? 0;
  }

  /** Base URL for the SDK, `http://127.0.0.1:<port>/v1`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  get requestCount(): number {
    return this.requests.length;
  }

  inputsPerRequest(): number[] {
    return this.requests.map((r) => r.inputs);
  }

  timestamps(): number[] {
    return this.requests.map((r) => r.at);
  }

  async start(): Promise<this> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.startedAt = performance.now();
    return this;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Queues behaviours for the next authorised requests, one each, in order. */
  program(...responses: ProgrammedResponse[]): void {
    this.queue.push(...responses);
  }

  /**
   * Holds the next `count` requests until all of them have arrived, then handles them as usual: a
   * test of concurrency that does not depend on how fast the client sends (a client that sent
   * fewer at once would wait forever, and the test would time out).
   */
  holdUntilInFlight(count: number): void {
    let open = (): void => undefined;
    const opened = new Promise<void>((resolve) => (open = resolve));
    this.gate = { count, arrived: 0, open, opened };
  }

  /** Holds every request with an input matching `pattern` until `releaseHeld()`: one tenant's documents stuck in embedding, say. */
  holdInputsMatching(pattern: RegExp): void {
    let release = (): void => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    this.holdPattern = { pattern, released, release };
  }

  releaseHeld(): void {
    this.holdPattern?.release();
    this.holdPattern = null;
  }

  /** Requests held by `holdInputsMatching` right now. */
  heldCount = 0;

  /** Resolves once `count` responses (of any status) have been sent since the last reset(). */
  requestsAnswered(count: number): Promise<void> {
    if (this.answered >= count) return Promise.resolve();
    return new Promise((resolve) => this.answeredWaiters.push({ count, resolve }));
  }

  /** Forgets recorded requests and queued behaviours. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.answered = 0;
    this.gate = null;
    this.maxInFlight = this.inFlight;
  }

  /** The vector this server answers for `text` embedded with `model` (the SDK provider's default model unless given). */
  vectorFor(text: string, dimensions = 1536, model = 'text-embedding-3-small'): number[] {
    let vectorizer = this.vectorizers.get(dimensions);
    if (vectorizer === undefined) {
      vectorizer = new LexicalEmbeddingProvider({ dimensions });
      this.vectorizers.set(dimensions, vectorizer);
    }
    const { target, sign } = this.modelMap(model, dimensions);
    const vector = new Array<number>(dimensions).fill(0);
    vectorizer.embedText(text).forEach((value, i) => (vector[target[i] ?? i] = value * (sign[i] ?? 1)));
    return vector;
  }

  /**
   * Where each coordinate goes under `model`, with its sign: a permutation and sign flips drawn
   * from the sha-256 stream of the model's name. An orthogonal map, so lengths and every angle
   * within one model stay the lexical ones, while a sparse text vector lands on other coordinates
   * under another model.
   */
  private modelMap(model: string, dimensions: number): { target: Uint32Array; sign: Int8Array } {
    const key = `${model}\u0000${dimensions}`;
    let map = this.modelMaps.get(key);
    if (map === undefined) {
      let block = 0;
      let bytes = Buffer.alloc(0);
      let offset = 0;
      const next = (): number => {
        if (offset + 4 > bytes.length) {
          bytes = createHash('sha256').update(`${model}:${block++}`).digest();
          offset = 0;
        }
        const value = bytes.readUInt32LE(offset);
        offset += 4;
        return value;
      };
      const target = Uint32Array.from({ length: dimensions }, (_, i) => i);
      for (let i = dimensions - 1; i > 0; i--) {
        const j = next() % (i + 1);
        [target[i], target[j]] = [target[j] ?? 0, target[i] ?? 0];
      }
      const sign = Int8Array.from({ length: dimensions }, () => (next() & 1 ? -1 : 1));
      map = { target, sign };
      this.modelMaps.set(key, map);
    }
    return map;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.on('error', () => undefined);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    res.on('close', () => this.inFlight--);
    res.on('finish', () => this.countAnswer());
    const record: RecordedRequest = {
      at: performance.now() - this.startedAt,
      authorized: req.headers.authorization === `Bearer ${this.apiKey}`,
      status: 0,
      inputs: 0,
      tokens: 0,
      model: undefined,
      dimensions: undefined,
      encodingFormat: undefined,
    };
    this.requests.push(record);
    const rawBody = await readBody(req);
    await this.passGate();
    await this.sleep(this.latencyMs);

    const path = req.url?.split('?')[0];
    if (req.method !== 'POST' || (path !== '/v1/embeddings' && path !== '/v1/chat/completions')) {
      return this.fail(res, record, 404, 'invalid_request_error', `Unknown request URL: ${req.method} ${req.url}`);
    }
    if (!record.authorized) {
      const presented = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      // The real API echoes a masked key; the provider must not pass even that on.
      const masked = `${presented.slice(0, 5)}${'*'.repeat(Math.max(presented.length - 9, 0))}${presented.slice(-4)}`;
      return this.fail(res, record, 401, 'invalid_request_error', `Incorrect API key provided: ${masked}. You can find your API key at https://platform.openai.com/account/api-keys.`, 'invalid_api_key');
    }
    if (path === '/v1/chat/completions') {
      record.status = 200;
      this.chat.handle(res, req, rawBody);
      return;
    }

    let body: EmbeddingsBody;
    try {
      body = JSON.parse(rawBody) as EmbeddingsBody;
    } catch {
      return this.fail(res, record, 400, 'invalid_request_error', 'We could not parse the JSON body of your request.');
    }
    record.model = body.model;
    record.dimensions = body.dimensions;
    record.encodingFormat = body.encoding_format;
    const inputs = typeof body.input === 'string' ? [body.input] : body.input;
    if (!Array.isArray(inputs) || inputs.length === 0 || inputs.some((input) => typeof input !== 'string' || input.length === 0)) {
      return this.fail(res, record, 400, 'invalid_request_error', "'input' must be a non-empty string or array of non-empty strings");
    }
    const texts = inputs as string[];
    record.inputs = texts.length;
    const tokens = texts.map((text) => countTokens(text));
    record.tokens = tokens.reduce((sum, t) => sum + t, 0);
    if (typeof body.model !== 'string' || body.model.length === 0) return this.fail(res, record, 400, 'invalid_request_error', "'model' is required");
    const model = body.model;
    if (texts.length > this.limits.maxInputs) return this.fail(res, record, 400, 'invalid_request_error', `'input' has ${texts.length} items; the maximum is ${this.limits.maxInputs}`);
    if (tokens.some((t) => t > this.limits.maxInputTokens)) {
      return this.fail(res, record, 400, 'invalid_request_error', `This model's maximum context length is ${this.limits.maxInputTokens} tokens`);
    }
    if (record.tokens > this.limits.maxRequestTokens) {
      return this.fail(res, record, 400, 'max_tokens_per_request', `Requested ${record.tokens} tokens, max ${this.limits.maxRequestTokens} tokens per request`);
    }
    let dimensions = 1536;
    if (body.dimensions !== undefined) {
      if (typeof body.dimensions !== 'number' || !Number.isInteger(body.dimensions) || body.dimensions < 1 || body.dimensions > 1536) {
        return this.fail(res, record, 400, 'invalid_request_error', "'dimensions' must be an integer from 1 to 1536");
      }
      dimensions = body.dimensions;
    }
    const format = body.encoding_format ?? 'float';
    if (format !== 'float' && format !== 'base64') return this.fail(res, record, 400, 'invalid_request_error', "'encoding_format' must be 'float' or 'base64'");

    const hold = this.holdPattern;
    if (hold && texts.some((text) => hold.pattern.test(text))) {
      this.heldCount++;
      await hold.released;
      this.heldCount--;
    }

    let count = texts.length;
    const programmed = this.queue.shift();
    switch (programmed?.kind) {
      case 'status':
        return this.fail(res, record, programmed.status, programmed.status >= 500 ? 'server_error' : 'invalid_request_error', programmed.message ?? `programmed ${programmed.status}`, programmed.code, programmed.headers);
      case 'rate-limit': {
        const headers: Record<string, string> = {};
        if (programmed.retryAfter !== undefined) headers['retry-after'] = programmed.retryAfter;
        if (programmed.retryAfterMs !== undefined) headers['retry-after-ms'] = String(programmed.retryAfterMs);
        if (programmed.retryAfterDateInMs !== undefined) headers['retry-after'] = new Date(Date.now() + programmed.retryAfterDateInMs).toUTCString();
        return this.fail(res, record, 429, programmed.code ?? 'requests', 'Rate limit reached for requests', programmed.code ?? 'rate_limit_exceeded', headers);
      }
      case 'delay':
        await this.sleep(programmed.ms);
        break;
      case 'malformed':
        record.status = 200;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"object":"list","data":[{"object":"embedding","ind');
        return;
      case 'dimensions':
        dimensions = programmed.dimensions;
        break;
      case 'missing-embedding':
        count = texts.length - 1;
        break;
      case 'drop':
        req.socket.destroy();
        return;
      case 'hold':
        return;
      case undefined:
        break;
    }

    const data = texts.slice(0, count).map((text, index) => {
      const vector = this.vectorFor(text, dimensions, model);
      return { object: 'embedding', index, embedding: format === 'base64' ? toBase64Float32(vector) : vector };
    });
    record.status = 200;
    sendJson(res, 200, { object: 'list', data, model: body.model, usage: { prompt_tokens: record.tokens, total_tokens: record.tokens } });
  }

  private async passGate(): Promise<void> {
    const gate = this.gate;
    if (gate === null) return;
    if (++gate.arrived >= gate.count) {
      this.gate = null;
      gate.open();
    }
    await gate.opened;
  }

  private countAnswer(): void {
    this.answered++;
    for (const waiter of [...this.answeredWaiters]) {
      if (this.answered < waiter.count) continue;
      this.answeredWaiters.splice(this.answeredWaiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  }

  private fail(
    res: ServerResponse,
    record: RecordedRequest,
    status: number,
    type: string,
    message: string,
    code: string | null = null,
    headers: Record<string, string> = {},
  ): void {
    record.status = status;
    sendJson(res, status, { error: { message, type, param: null, code } }, headers);
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    req.on('data', (part: Buffer) => parts.push(part));
    req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(''));
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** The API's base64 encoding: the vector as little-endian float32. */
function toBase64Float32(vector: readonly number[]): string {
  const buffer = Buffer.alloc(vector.length * 4);
  vector.forEach((value, i) => buffer.writeFloatLE(value, i * 4));
  return buffer.toString('base64');
}
