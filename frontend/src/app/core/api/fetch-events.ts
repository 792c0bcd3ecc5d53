import type { ApiErrorBody } from '@business-brain/contract';

import { UNREACHABLE_MESSAGE } from './api-error';
import { EventStreamParser, type ServerSentEvent } from './server-sent-events';

/** A streamed request the server refused before streaming (400, 404, 409, 503 ...), with its message. */
export class StreamRequestError extends Error {
  constructor(
    message: string,
    /** HTTP status; 0 when the server could not be reached. */
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * Reads a text/event-stream response with fetch (so it can POST and send Authorization, which
 * EventSource cannot), yielding events as they arrive. Ends quietly when `signal` aborts.
 */
export async function* fetchEvents(url: string, init: RequestInit, signal: AbortSignal): AsyncGenerator<ServerSentEvent> {
  let response: Response;
  try {
    response = await fetch(url, { ...init, signal, headers: { Accept: 'text/event-stream', ...init.headers } });
  } catch (error) {
    if (signal.aborted) return;
    throw new StreamRequestError(error instanceof TypeError ? UNREACHABLE_MESSAGE : String(error), 0);
  }
  if (!response.ok || !response.body) throw await requestError(response);

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  const parser = new EventStreamParser();
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<string>;
      try {
        chunk = await reader.read();
      } catch (error) {
        if (signal.aborted) return;
        throw new StreamRequestError(error instanceof TypeError ? UNREACHABLE_MESSAGE : String(error), 0);
      }
      yield* chunk.done ? parser.end() : parser.push(chunk.value);
      if (chunk.done) return;
    }
  } finally {
    reader.releaseLock();
  }
}

async function requestError(response: Response): Promise<StreamRequestError> {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody>;
    if (typeof body.message === 'string') return new StreamRequestError(body.message, response.status);
  } catch {
    // not JSON: fall through to a generic message
  }
  if (response.status >= 502 && response.status <= 504) return new StreamRequestError(UNREACHABLE_MESSAGE, response.status);
  return new StreamRequestError(`The server answered ${response.status}.`, response.status);
}
