import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { ErrorResponseDto } from './error-response.dto.js';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: every failing field is named',
  401: 'Missing, malformed or expired session token',
  403: 'The token is valid but not for this tenant',
  404: 'Not found',
  409: 'Conflicts with existing data',
  413: 'Payload too large',
  415: 'Unsupported media type',
  422: 'Well-formed but breaks a rule',
  429: 'Too many requests: a rate limit or a quota (Retry-After says when to try again)',
  500: 'Unexpected server error (no internals are revealed)',
  503: 'A dependency is down',
};

/** Documents the shared error body for the given statuses (429, as every route but the probes is rate limited, and 500 are always included). */
export const ApiErrorResponses = (...statuses: number[]): MethodDecorator & ClassDecorator =>
  applyDecorators(
    ...[...new Set([...statuses, 429, 500])].map((status) =>
      ApiResponse({ status, description: DESCRIPTIONS[status] ?? 'Error', type: ErrorResponseDto }),
    ),
  );
