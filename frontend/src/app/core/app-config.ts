import { InjectionToken } from '@angular/core';

import { environment, type Environment } from '../../environments/environment';

/** Runtime view of the build-time environment; override it in tests with `{ provide: APP_CONFIG, useValue: ... }`. */
export type AppConfig = Environment;

export const APP_CONFIG = new InjectionToken<AppConfig>('APP_CONFIG', {
  providedIn: 'root',
  factory: () => environment,
});

/** Joins the API base URL and a path such as `routes/knowledge/acme/...` with exactly one slash between them. */
export function apiUrl(config: Pick<AppConfig, 'apiBaseUrl'>, path: string): string {
  return `${config.apiBaseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
