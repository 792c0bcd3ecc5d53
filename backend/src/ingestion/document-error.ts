import { ExtractionError, UnsupportedTypeError } from '../extraction/extraction-errors.js';
import { PermanentIngestionError, TransientIngestionError } from './ingestion-job.js';

/** A failure of our own (the database, a bug): the person can only wait or retry. */
const INTERNAL_FAILURE = 'Temporary failure while processing the document';
const STORAGE_FAILURE = 'Temporary failure while storing the document';

/** Errors of the database layer: Prisma's client errors, and the driver's (they carry an SQLSTATE). */
const isDatabaseError = (error: unknown): boolean => {
  if (!(error instanceof Error)) return false;
  if (error.name.startsWith('PrismaClient') || error.name === 'DatabaseError') return true;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(P\d{4}|(?=[A-Z]*\d)[0-9A-Z]{5})$/.test(code);
};

/**
 * The one mapping from what went wrong to what a document's `error` says. Only our own error
 * types carry a message written for people (an extraction problem, a URL the server answered 404
 * for, an address that is not allowed); anything else (a database error, a bug, a library's own
 * words, which may name tables, hosts or files) becomes a fixed sentence, and the details go to
 * the log with the document's id (`internalDetail`).
 */
export function publicReason(error: unknown): string {
  if (error instanceof PermanentIngestionError || error instanceof TransientIngestionError) return error.message;
  if (error instanceof ExtractionError || error instanceof UnsupportedTypeError) return error.message;
  return isDatabaseError(error) ? STORAGE_FAILURE : INTERNAL_FAILURE;
}

/** Everything the log should know about a failure: the message, our detail, and the cause's own words. */
export function internalDetail(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail !== '' ? `${error.message} (${detail})` : `${error.name}: ${error.message}`;
}

const sentence = (reason: string): string => reason.replace(/[.\s]+$/, '');

/** Shown while the document waits for its next attempt. */
export const retryingMessage = (reason: string, attempt: number, maxAttempts: number): string =>
  `${sentence(reason)}; retrying (attempt ${attempt} of ${maxAttempts})`;

/** Shown once the last attempt has failed. */
export const gaveUpMessage = (reason: string, attempts: number): string =>
  `${sentence(reason)}; gave up after ${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}`;
