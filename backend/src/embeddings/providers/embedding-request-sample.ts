import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai';

/** Why a request to the embeddings API failed, once its retries were spent: a fixed set, fit for a metric label. */
export type EmbeddingFailureReason = 'rate_limited' | 'quota' | 'server_error' | 'client_error' | 'timeout' | 'connection' | 'invalid_response';

/** One request to the embeddings API (a batch of inputs) as its caller saw it, retries and their waits included. */
export interface EmbeddingRequestSample {
  /** A search query (someone is waiting) rather than ingestion. */
  interactive: boolean;
  seconds: number;
  outcome: 'ok' | 'error' | 'cancelled';
  reason?: EmbeddingFailureReason;
}

export type EmbeddingRequestObserver = (sample: EmbeddingRequestSample) => void;

/** What ended a failed request: `cancelled` when its caller (or a failed sibling request) aborted it. */
export function failureOf(error: unknown, aborted: boolean): Pick<EmbeddingRequestSample, 'outcome' | 'reason'> {
  if (aborted || error instanceof APIUserAbortError) return { outcome: 'cancelled' };
  return { outcome: 'error', reason: reasonOf(error) };
}

function reasonOf(error: unknown): EmbeddingFailureReason {
  // the timeout error is a kind of connection error: ask first
  if (error instanceof APIConnectionTimeoutError) return 'timeout';
  if (error instanceof APIConnectionError) return 'connection';
  if (error instanceof APIError && typeof error.status === 'number') {
    if (error.code === 'insufficient_quota' || error.type === 'insufficient_quota') return 'quota';
    if (error.status === 429) return 'rate_limited';
    return error.status >= 500 ? 'server_error' : 'client_error';
  }
  // our own checks of the answer (count, size, finiteness), or a body that is not the documented JSON
  return 'invalid_response';
}
