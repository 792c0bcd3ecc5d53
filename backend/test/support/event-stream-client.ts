export interface StreamEvent {
  event: string;
  data: string;
}

/** A server-sent event stream read with fetch: events as they arrive, and when it ended. */
export interface OpenEventStream {
  response: Response;
  events: StreamEvent[];
  /** Resolves when the server ends the stream (or `close` is called). */
  ended: Promise<void>;
  /** Resolves with the first event (already received or still to come) that matches. */
  next(match: (event: StreamEvent) => boolean): Promise<StreamEvent>;
  close(): void;
}

/** Opens `url` and reads its events in the background; a non-200 answer is returned unread. */
export async function openEventStream(url: string, init: RequestInit = {}): Promise<OpenEventStream> {
  const abort = new AbortController();
  const response = await fetch(url, { ...init, signal: abort.signal });
  const events: StreamEvent[] = [];
  const waiting: { match: (event: StreamEvent) => boolean; resolve: (event: StreamEvent) => void }[] = [];
  const arrived = (event: StreamEvent): void => {
    events.push(event);
    for (const waiter of waiting.filter((w) => w.match(event))) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.resolve(event);
    }
  };
  const read = async (): Promise<void> => {
    if (response.status !== 200 || !response.body) return;
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
          }
          if (data.length > 0) arrived({ event, data: data.join('\n') });
        }
      }
    } catch (error) {
      if (!abort.signal.aborted) throw error;
    }
  };
  const ended = read();
  return {
    response,
    events,
    ended,
    next(match) {
      const seen = events.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ match, resolve }));
    },
    close: () => abort.abort(),
  };
}
