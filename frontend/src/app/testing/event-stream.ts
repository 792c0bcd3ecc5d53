import type { ApiErrorBody } from '@business-brain/contract';

/** One event in text/event-stream framing. */
export function sseFrame(event: string, data: unknown): string {
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** A 200 text/event-stream Response whose body delivers `chunks` one read at a time. */
export function eventStreamResponse(chunks: readonly string[]): Response {
  const encoder = new TextEncoder();
  const queue = [...chunks];
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const next = queue.shift();
      if (next === undefined) controller.close();
      else controller.enqueue(encoder.encode(next));
    },
  });
  return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
}

/**
 * A text/event-stream Response the test feeds by hand: `send` a chunk, then `close` (or `fail`).
 * Shows that events are handed on as they arrive, before the stream ends.
 */
export function manualEventStream(): { response: Response; send(chunk: string): void; close(): void; fail(error: unknown): void } {
  const encoder = new TextEncoder();
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const body = new ReadableStream<Uint8Array>({ start: (c) => (controller = c) });
  return {
    response: new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } }),
    send: (chunk) => controller.enqueue(encoder.encode(chunk)),
    close: () => controller.close(),
    fail: (error) => controller.error(error),
  };
}

/** A JSON error Response in the API's error shape. */
export function apiErrorResponse(status: number, message: string, error = 'Error'): Response {
  const body: ApiErrorBody = { statusCode: status, error, message, request_id: 'test' };
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

/** Splits `text` into pieces of at most `size` characters (to deliver a stream in awkward chunks). */
export function piecesOf(text: string, size: number): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
