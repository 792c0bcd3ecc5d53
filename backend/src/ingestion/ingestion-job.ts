export interface ClaimedJob {
  id: string;
  tenantId: string;
  documentId: string;
  attempts: number;
  maxAttempts: number;
}

/**
 * A failure worth retrying (rate limit, 5xx, timeout) versus one that never will succeed (a bad
 * file). The message is what the document's `error` shows a person, so it names the problem in
 * their terms; `detail` holds what only the log may see (addresses, a server's own words).
 */
export class TransientIngestionError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'TransientIngestionError';
  }
}

export class PermanentIngestionError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'PermanentIngestionError';
  }
}

/** The job was taken over by another worker (ours was presumed dead): nothing may be written. */
export class LostJobError extends Error {
  constructor(jobId: string) {
    super(`ingestion job ${jobId} is no longer held by this worker`);
    this.name = 'LostJobError';
  }
}
