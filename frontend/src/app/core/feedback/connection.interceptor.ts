import { HttpErrorResponse, type HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';

import { BackendStatus } from './backend-status';

/** Marks the backend lost when a request cannot reach it (network error or a gateway's 502-504). */
export const connectionInterceptor: HttpInterceptorFn = (request, next) => {
  const status = inject(BackendStatus);
  return next(request).pipe(
    tap({
      error: (error: unknown) => {
        if (error instanceof HttpErrorResponse && (error.status === 0 || (error.status >= 502 && error.status <= 504))) status.markLost();
      },
    }),
  );
};
