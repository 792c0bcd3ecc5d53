import { AsyncLocalStorage } from 'node:async_hooks';

/** Work done for an HTTP request: its id, the pattern of the route it matched, and the tenant in its path. */
export interface RequestContext {
  requestId: string;
  route: string;
  tenant?: string;
}

/** Work done for a job of the ingestion queue, outside any request. */
export interface JobContext {
  jobId: string;
  documentId: string;
}

export type LogContext = RequestContext | JobContext;

/**
 * Carries what a log line belongs to, a request (its id) or a queue job (its job and document
 * ids), to every line written while it is handled. Work a request only sets going and that
 * outlives it (the ingestion worker's loop) must leave the request's context: `outsideRequest`.
 */
export const requestContext = new AsyncLocalStorage<LogContext>();

export const currentRequest = (): RequestContext | undefined => {
  const store = requestContext.getStore();
  return store && 'requestId' in store ? store : undefined;
};

export const currentJob = (): JobContext | undefined => {
  const store = requestContext.getStore();
  return store && 'jobId' in store ? store : undefined;
};

/** Runs `fn` (and everything it schedules) outside whatever request or job context the caller is in. */
export const outsideRequest = <T>(fn: () => T): T => requestContext.exit(fn);

/** Runs `fn` (and everything it schedules) as the queue job `job`, outside any request. */
export const asJob = <T>(job: JobContext, fn: () => T): T => requestContext.exit(() => requestContext.run(job, fn));
