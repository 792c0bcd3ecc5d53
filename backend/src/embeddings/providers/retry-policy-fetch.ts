import type { ClientOptions } from 'openai';

export type Fetch = NonNullable<ClientOptions['fetch']>;

/** The statuses the openai SDK retries on its own (see `shouldRetry` in its client). */
const RETRIED_STATUSES = new Set([408, 409, 429]);

/**
 * The SDK's retry loop already does what the provider needs (exponential backoff with jitter on
 * 408/409/429/5xx, timeouts and connection errors; honours `retry-after-ms` and `Retry-After` in
 * seconds or as an HTTP date). This wrapper only vetoes two retries through `x-should-retry:
 * false`, a header the SDK obeys:
 *
 * - a requested wait longer than `maxRetryAfterMs`: the SDK would sleep for however long the
 *   server asks (an hour holds an ingestion worker for an hour, and its sleep cannot be aborted);
 *   failing fast as transient lets the job queue reschedule instead;
 * - a 429 whose code is `insufficient_quota`: the billing limit, which no retry will lift.
 */
export function retryPolicyFetch(maxRetryAfterMs: number, baseFetch: Fetch = globalThis.fetch): Fetch {
  return async (input, init) => {
    const response = await baseFetch(input, init);
    if (!RETRIED_STATUSES.has(response.status) && response.status < 500) return response;
    const waitMs = requestedWaitMs(response.headers);
    const tooLong = waitMs !== undefined && waitMs > maxRetryAfterMs;
    if (!tooLong && !(response.status === 429 && (await isQuotaExhausted(response)))) return response;
    const headers = new Headers(response.headers);
    headers.set('x-should-retry', 'false');
    return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
  };
}

/** The wait a response asks for, read the way the SDK reads it; undefined when it names none. */
export function requestedWaitMs(headers: Headers): number | undefined {
  const milliseconds = Number.parseFloat(headers.get('retry-after-ms') ?? '');
  if (!Number.isNaN(milliseconds)) return milliseconds;
  const retryAfter = headers.get('retry-after');
  if (retryAfter === null) return undefined;
  const seconds = Number.parseFloat(retryAfter);
  if (!Number.isNaN(seconds)) return seconds * 1000;
  const date = Date.parse(retryAfter);
  return Number.isNaN(date) ? undefined : date - Date.now();
}

async function isQuotaExhausted(response: Response): Promise<boolean> {
  try {
    const body: unknown = await response.clone().json();
    const error = (body as { error?: { code?: unknown; type?: unknown } } | null)?.error;
    return error?.code === 'insufficient_quota' || error?.type === 'insufficient_quota';
  } catch {
    return false;
  }
}
