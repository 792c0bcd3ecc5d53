import type { HttpInterceptorFn } from '@angular/common/http';
import { inject } from '@angular/core';
import { from, switchMap } from 'rxjs';

import { AuthSession } from './auth-session';

/** Adds the Clerk session token (when signed in) to every call of the knowledge API. */
export const authInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.includes('/routes/knowledge/')) return next(request);
  const session = inject(AuthSession);
  return from(session.token()).pipe(
    switchMap((token) => next(token ? request.clone({ setHeaders: { Authorization: `Bearer ${token}` } }) : request)),
  );
};
