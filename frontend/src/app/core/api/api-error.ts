import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@business-brain/contract';

/** A failed API call, worded for a person: the server's own message where it gave one. */
export interface ReadableError {
  message: string;
  /** HTTP status; 0 when the server could not be reached. */
  status: number;
  /** Per-field problems of a 400, keyed by field name. */
  fields: Record<string, string>;
}

export const UNREACHABLE_MESSAGE = 'Cannot reach the Business Brain server. Check your connection; it will be retried.';

function isApiErrorBody(value: unknown): value is ApiErrorBody {
  return typeof value === 'object' && value !== null && typeof (value as { message?: unknown }).message === 'string';
}

export function readableError(error: unknown): ReadableError {
  if (error instanceof HttpErrorResponse) {
    if (error.status === 0) return { message: UNREACHABLE_MESSAGE, status: 0, fields: {} };
    const body: unknown = error.error;
    if (isApiErrorBody(body)) {
      const fields: Record<string, string> = {};
      for (const detail of body.details ?? []) fields[detail.field] = detail.problems.join('; ');
      return { message: body.message, status: error.status, fields };
    }
    if (error.status === 502 || error.status === 503 || error.status === 504) {
      return { message: UNREACHABLE_MESSAGE, status: error.status, fields: {} };
    }
    return { message: `The server answered ${error.status} ${error.statusText || ''}`.trim() + '.', status: error.status, fields: {} };
  }
  if (error instanceof TypeError) return { message: UNREACHABLE_MESSAGE, status: 0, fields: {} };
  if (error instanceof Error) return { message: error.message, status: -1, fields: {} };
  return { message: 'Something went wrong.', status: -1, fields: {} };
}
