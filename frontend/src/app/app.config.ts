import { provideHttpClient, withInterceptors } from '@angular/common/http';
import {
  type ApplicationConfig,
  inject,
  provideAppInitializer,
  provideBrowserGlobalErrorListeners,
  provideZonelessChangeDetection,
} from '@angular/core';
import { provideRouter, withComponentInputBinding, withRouterConfig } from '@angular/router';

import { routes } from './app.routes';
import { AuthSession } from './core/auth/auth-session';
import { authInterceptor } from './core/auth/auth.interceptor';
import { connectionInterceptor } from './core/feedback/connection.interceptor';

export const appConfig: ApplicationConfig = {
  providers: [
    provideBrowserGlobalErrorListeners(),
    provideZonelessChangeDetection(),
    // children see the :tenant of their parent route as an input too
    provideRouter(routes, withComponentInputBinding(), withRouterConfig({ paramsInheritanceStrategy: 'always' })),
    // XHR (not fetch) so uploads report progress
    provideHttpClient(withInterceptors([authInterceptor, connectionInterceptor])),
    // not awaited: the shell renders at once and shows what it knows while the server answers
    provideAppInitializer(() => {
      void inject(AuthSession).start();
    }),
  ],
};
