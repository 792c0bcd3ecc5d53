import { HttpErrorResponse } from '@angular/common/http';
import type { ApiErrorBody } from '@business-brain/contract';
import { describe, expect, it } from 'vitest';

import { UNREACHABLE_MESSAGE, readableError } from './api-error';

const httpError = (status: number, error: unknown, statusText = 'Error') =>
  new HttpErrorResponse({ status, statusText, error, url: '/routes/knowledge/acme' });

describe('readableError', () => {
  it('keeps the message of an API error body and maps its details to fields', () => {
    const body: ApiErrorBody = {
      statusCode: 400,
      error: 'Bad Request',
      message: 'The request has invalid fields.',
      request_id: 'req-1',
      details: [
        { field: 'title', problems: ['must not be empty', 'must be at most 200 characters'] },
        { field: 'tags', problems: ['at most 20 tags'] },
      ],
    };

    expect(readableError(httpError(400, body, 'Bad Request'))).toEqual({
      message: 'The request has invalid fields.',
      status: 400,
      fields: { title: 'must not be empty; must be at most 200 characters', tags: 'at most 20 tags' },
    });
  });

  it('gives no fields for an API error body without details', () => {
    const body: ApiErrorBody = { statusCode: 409, error: 'Conflict', message: 'Nothing is ready to search yet.', request_id: 'r' };

    expect(readableError(httpError(409, body))).toEqual({ message: 'Nothing is ready to search yet.', status: 409, fields: {} });
  });

  it('words status 0 (no answer at all) as the server being unreachable', () => {
    const error = new HttpErrorResponse({ status: 0, statusText: 'Unknown Error', error: new ProgressEvent('error') });

    expect(readableError(error)).toEqual({ message: UNREACHABLE_MESSAGE, status: 0, fields: {} });
    expect(UNREACHABLE_MESSAGE).toContain('Cannot reach the Business Brain server');
  });

  it.each([502, 503, 504])('words a gateway %s without an API body as unreachable, keeping the status', (status) => {
    expect(readableError(httpError(status, '<html>Service Unavailable</html>'))).toEqual({ message: UNREACHABLE_MESSAGE, status, fields: {} });
    expect(readableError(httpError(status, null))).toEqual({ message: UNREACHABLE_MESSAGE, status, fields: {} });
  });

  it('prefers the server’s own message over the generic one for a 503 with an API body', () => {
    const body = { statusCode: 503, error: 'Service Unavailable', message: 'The embedding provider is down.', request_id: 'r' };

    expect(readableError(httpError(503, body)).message).toBe('The embedding provider is down.');
  });

  it('names the status of another error without an API body', () => {
    expect(readableError(httpError(500, 'oops', 'Internal Server Error'))).toEqual({
      message: 'The server answered 500 Internal Server Error.',
      status: 500,
      fields: {},
    });
    expect(readableError(httpError(404, { error: 'no message here' }, 'Not Found')).message).toBe('The server answered 404 Not Found.');
  });

  it('words a TypeError (what fetch throws when the network fails) as unreachable', () => {
    expect(readableError(new TypeError('Failed to fetch'))).toEqual({ message: UNREACHABLE_MESSAGE, status: 0, fields: {} });
  });

  it('keeps the message of any other Error, and has a fallback for non-errors', () => {
    expect(readableError(new Error('Clerk failed to load'))).toEqual({ message: 'Clerk failed to load', status: -1, fields: {} });
    expect(readableError('a string')).toEqual({ message: 'Something went wrong.', status: -1, fields: {} });
  });
});
