import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { AnswerEvent, ClientConfig } from '@business-brain/contract';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { aDetail, aDocument, anExtractiveAnswer } from '../../testing/fixtures';
import { FakeClerkSession } from '../../testing/fake-clerk';
import { FakeApi } from '../../testing/fake-api';
import { apiErrorResponse, eventStreamResponse, manualEventStream, piecesOf, sseFrame } from '../../testing/event-stream';
import { AuthSession, CLERK_LOADER } from '../auth/auth-session';
import { UNREACHABLE_MESSAGE } from './api-error';
import { StreamRequestError, fetchEvents } from './fetch-events';
import { KnowledgeStreams } from './knowledge-streams';
import type { ServerSentEvent } from './server-sent-events';

type FetchArgs = Parameters<typeof fetch>;

let fetchMock: ReturnType<typeof vi.fn<typeof fetch>>;

beforeEach(() => {
  fetchMock = vi.fn<typeof fetch>();
  vi.stubGlobal('fetch', fetchMock);
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const event of events) all.push(event);
  return all;
}

async function failureOf(events: AsyncIterable<unknown>): Promise<StreamRequestError> {
  try {
    await collect(events);
  } catch (error) {
    expect(error).toBeInstanceOf(StreamRequestError);
    return error as StreamRequestError;
  }
  throw new Error('the stream did not fail');
}

function requestOf(call: number): { url: string; init: RequestInit; headers: Headers } {
  const [url, init]: FetchArgs = fetchMock.mock.calls[call];
  return { url: url instanceof Request ? url.url : url.toString(), init: init ?? {}, headers: new Headers(init?.headers) };
}

describe('fetchEvents', () => {
  it('reads the events of a stream delivered in awkward chunks', async () => {
    const wire = sseFrame('delta', { text: 'Hel' }) + ': keep-alive\r\n\r\n' + sseFrame('delta', { text: 'lo' }) + 'event: done\ndata: {}';
    fetchMock.mockResolvedValue(eventStreamResponse(piecesOf(wire, 7)));

    const events = await collect(fetchEvents('/stream', {}, new AbortController().signal));

    expect(events).toEqual<ServerSentEvent[]>([
      { event: 'delta', data: '{"text":"Hel"}' },
      { event: 'delta', data: '{"text":"lo"}' },
      // the last block had no blank line: flushed when the stream ends
      { event: 'done', data: '{}' },
    ]);
  });

  it('decodes a multi-byte character split between two chunks', async () => {
    const bytes = new TextEncoder().encode(sseFrame('delta', { text: 'Grüße — ✓' }));
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        // cut inside the two bytes of "ü"
        const cut = bytes.indexOf(0xc3) + 1;
        controller.enqueue(bytes.slice(0, cut));
        controller.enqueue(bytes.slice(cut));
        controller.close();
      },
    });
    fetchMock.mockResolvedValue(new Response(body, { status: 200 }));

    const events = await collect(fetchEvents('/stream', {}, new AbortController().signal));

    expect(events.map((e) => JSON.parse(e.data) as unknown)).toEqual([{ text: 'Grüße — ✓' }]);
  });

  it('hands on each event as soon as it arrives, before the stream ends', async () => {
    const stream = manualEventStream();
    fetchMock.mockResolvedValue(stream.response);
    const events = fetchEvents('/stream', {}, new AbortController().signal);

    const first = events.next();
    stream.send(sseFrame('delta', { text: 'first' }));
    expect(await first).toEqual({ done: false, value: { event: 'delta', data: '{"text":"first"}' } });

    const second = events.next();
    stream.send(sseFrame('delta', { text: 'second' }));
    expect(await second).toEqual({ done: false, value: { event: 'delta', data: '{"text":"second"}' } });

    const end = events.next();
    stream.close();
    expect(await end).toEqual({ done: true, value: undefined });
  });

  it('asks for an event stream, keeps the caller’s method, body and headers, and passes the signal', async () => {
    fetchMock.mockResolvedValue(eventStreamResponse([]));
    const controller = new AbortController();

    await collect(fetchEvents('/routes/knowledge/acme/answer', { method: 'POST', body: '{"q":1}', headers: { 'X-Test': 'yes' } }, controller.signal));

    const { url, init, headers } = requestOf(0);
    expect(url).toBe('/routes/knowledge/acme/answer');
    expect(init.method).toBe('POST');
    expect(init.body).toBe('{"q":1}');
    expect(init.signal).toBe(controller.signal);
    expect(headers.get('Accept')).toBe('text/event-stream');
    expect(headers.get('X-Test')).toBe('yes');
  });

  it('turns a refusal before streaming (409 with an API body) into a StreamRequestError with the server’s message', async () => {
    fetchMock.mockResolvedValue(apiErrorResponse(409, 'Nothing in this knowledge base is ready yet.', 'Conflict'));

    const error = await failureOf(fetchEvents('/stream', {}, new AbortController().signal));

    expect(error.message).toBe('Nothing in this knowledge base is ready yet.');
    expect(error.status).toBe(409);
  });

  it('words a gateway error without a JSON body as unreachable, and another status generically', async () => {
    fetchMock.mockResolvedValueOnce(new Response('<html>Bad Gateway</html>', { status: 502 }));
    fetchMock.mockResolvedValueOnce(new Response('oops', { status: 500 }));

    const gateway = await failureOf(fetchEvents('/stream', {}, new AbortController().signal));
    const other = await failureOf(fetchEvents('/stream', {}, new AbortController().signal));

    expect([gateway.message, gateway.status]).toEqual([UNREACHABLE_MESSAGE, 502]);
    expect([other.message, other.status]).toEqual(['The server answered 500.', 500]);
  });

  it('words a network failure (fetch rejects with a TypeError) as unreachable, status 0', async () => {
    fetchMock.mockRejectedValue(new TypeError('Failed to fetch'));

    const error = await failureOf(fetchEvents('/stream', {}, new AbortController().signal));

    expect(error.message).toBe(UNREACHABLE_MESSAGE);
    expect(error.status).toBe(0);
  });

  it('words a connection lost mid-stream as unreachable, after the events that did arrive', async () => {
    const stream = manualEventStream();
    fetchMock.mockResolvedValue(stream.response);
    const seen: ServerSentEvent[] = [];

    const failure = (async () => {
      for await (const event of fetchEvents('/stream', {}, new AbortController().signal)) {
        seen.push(event);
        stream.fail(new TypeError('network error'));
      }
    })();
    stream.send(sseFrame('delta', { text: 'partial' }));

    await expect(failure).rejects.toMatchObject({ message: UNREACHABLE_MESSAGE, status: 0 });
    expect(seen).toEqual([{ event: 'delta', data: '{"text":"partial"}' }]);
  });

  it('ends quietly, without an error, when the caller aborts', async () => {
    const controller = new AbortController();
    fetchMock.mockImplementation((_url, init) => {
      controller.abort();
      return Promise.reject(init?.signal?.reason as Error);
    });

    await expect(collect(fetchEvents('/stream', {}, controller.signal))).resolves.toEqual([]);
  });

  it('ends quietly when the caller aborts while the stream is being read', async () => {
    const controller = new AbortController();
    const stream = manualEventStream();
    fetchMock.mockResolvedValue(stream.response);
    const seen: ServerSentEvent[] = [];

    const reading = (async () => {
      for await (const event of fetchEvents('/stream', {}, controller.signal)) {
        seen.push(event);
        controller.abort();
        stream.fail(new DOMException('The operation was aborted.', 'AbortError'));
      }
    })();
    stream.send(sseFrame('delta', { text: 'one' }));

    await expect(reading).resolves.toBeUndefined();
    expect(seen).toHaveLength(1);
  });
});

describe('KnowledgeStreams', () => {
  async function setUp(config: ClientConfig, clerk?: FakeClerkSession): Promise<KnowledgeStreams> {
    if (clerk) vi.spyOn(CLERK_LOADER, 'load').mockResolvedValue(clerk);
    const api = new FakeApi(config);
    TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([api.interceptor]))] });
    await TestBed.inject(AuthSession).start();
    return TestBed.inject(KnowledgeStreams);
  }

  it('streams an answer sent in several chunks as typed AnswerEvents, in order', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    const answer = anExtractiveAnswer();
    const wire = answer.map((e) => sseFrame(e.event, e.data)).join('');
    // cut the wire into uneven pieces: frames straddle chunk boundaries
    fetchMock.mockResolvedValue(eventStreamResponse([wire.slice(0, 30), wire.slice(30, 333), wire.slice(333, 350), wire.slice(350)]));

    const events = await collect(streams.answer('acme', { question: 'When do I get a laptop?' }, new AbortController().signal));

    expect(events).toEqual<AnswerEvent[]>(answer);
    expect(events.map((e) => e.event)).toEqual(['context', 'delta', 'delta', 'citations', 'done']);
  });

  it('posts the question as JSON to the tenant’s answer route, without Authorization in development mode', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    fetchMock.mockResolvedValue(eventStreamResponse([]));

    await collect(streams.answer('acme', { question: 'Why?', mode: 'keyword' }, new AbortController().signal));

    const { url, init, headers } = requestOf(0);
    expect(url).toBe('/routes/knowledge/acme/answer');
    expect(init.method).toBe('POST');
    expect(JSON.parse(init.body as string)).toEqual({ question: 'Why?', mode: 'keyword' });
    expect(headers.get('Content-Type')).toBe('application/json');
    expect(headers.get('Accept')).toBe('text/event-stream');
    expect(headers.has('Authorization')).toBe(false);
  });

  it('sends the Clerk session token as a bearer token when sign-in is on', async () => {
    const streams = await setUp({ auth_mode: 'clerk', clerk_publishable_key: 'pk_test_x' }, new FakeClerkSession({ token: 'jwt-123' }));
    fetchMock.mockResolvedValue(eventStreamResponse([]));

    await collect(streams.answer('acme', { question: 'Why?' }, new AbortController().signal));

    expect(requestOf(0).headers.get('Authorization')).toBe('Bearer jwt-123');
  });

  it('skips events that are not part of an answer', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    fetchMock.mockResolvedValue(eventStreamResponse(['data: {"ignored":true}\n\n', sseFrame('ping', {}), sseFrame('delta', { text: 'kept' })]));

    const events = await collect(streams.answer('acme', { question: 'q' }, new AbortController().signal));

    expect(events).toEqual([{ event: 'delta', data: { text: 'kept' } }]);
  });

  it('yields an error event the server streams after it started', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    const failure = { error: 'Bad Gateway', message: 'The language model did not answer.', request_id: 'r-9' };
    fetchMock.mockResolvedValue(eventStreamResponse([sseFrame('delta', { text: 'Part' }), sseFrame('error', failure)]));

    const events = await collect(streams.answer('acme', { question: 'q' }, new AbortController().signal));

    expect(events).toEqual([
      { event: 'delta', data: { text: 'Part' } },
      { event: 'error', data: failure },
    ]);
  });

  it('rejects with the server’s message and status when it refuses the question', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    fetchMock.mockResolvedValue(apiErrorResponse(409, 'Nothing is ready to answer from yet.', 'Conflict'));

    const error = await failureOf(streams.answer('acme', { question: 'q' }, new AbortController().signal));

    expect([error.message, error.status]).toEqual(['Nothing is ready to answer from yet.', 409]);
  });

  it('rejects as unreachable with status 0 when fetch cannot connect', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    fetchMock.mockRejectedValue(new TypeError('fetch failed'));

    const error = await failureOf(streams.answer('acme', { question: 'q' }, new AbortController().signal));

    expect([error.message, error.status]).toEqual([UNREACHABLE_MESSAGE, 0]);
  });

  it('streams an entry’s status updates from its events route (GET), ignoring other events', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    const processing = aDetail({ id: 'e/1', status: 'processing' }, [aDocument({ status: 'processing', progress: 40 })]);
    const ready = aDetail({ id: 'e/1', status: 'ready' });
    fetchMock.mockResolvedValue(eventStreamResponse([sseFrame('status', processing), ': ping\n\n', sseFrame('other', {}), sseFrame('status', ready)]));

    const updates = await collect(streams.status('acme', 'e/1', new AbortController().signal));

    expect(updates).toEqual([
      { event: 'status', entry: processing },
      { event: 'status', entry: ready },
    ]);
    const { url, init, headers } = requestOf(0);
    expect(url).toBe('/routes/knowledge/acme/e%2F1/events');
    expect(init.method).toBeUndefined();
    expect(headers.has('Authorization')).toBe(false);
  });

  it('ends an entry’s status stream with `deleted` when the server says the entry was deleted', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    const processing = aDetail({ id: 'e1', status: 'processing' }, [aDocument({ status: 'processing', progress: 40 })]);
    fetchMock.mockResolvedValue(eventStreamResponse([sseFrame('status', processing), sseFrame('deleted', { id: 'e1' })]));

    const updates = await collect(streams.status('acme', 'e1', new AbortController().signal));

    expect(updates).toEqual([{ event: 'status', entry: processing }, { event: 'deleted' }]);
  });

  it('rejects a status stream the server refuses (429) with that status, so the page can poll instead', async () => {
    const streams = await setUp({ auth_mode: 'development', clerk_publishable_key: null });
    fetchMock.mockResolvedValue(apiErrorResponse(429, 'Too many live status streams are open for this organisation; try again later.'));

    const error = await failureOf(streams.status('acme', 'e1', new AbortController().signal));

    expect(error.status).toBe(429);
  });
});
