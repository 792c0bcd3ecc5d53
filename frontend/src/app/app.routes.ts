import type { CanMatchFn, Routes } from '@angular/router';

import { isTenantSlug } from './core/tenant-slug';

/** Only URLs whose first segment is a well-formed tenant slug reach the context builder; the rest fall through to not-found. */
const tenantSlugMatches: CanMatchFn = (_route, segments) => isTenantSlug(segments[0]?.path ?? '');

export const routes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    title: 'Business Brain',
    loadComponent: () => import('./home/home-page').then((m) => m.HomePage),
  },
  {
    path: ':tenant/context-builder',
    canMatch: [tenantSlugMatches],
    title: (route) => `Context builder — ${route.paramMap.get('tenant') ?? ''} · Business Brain`,
    loadComponent: () =>
      import('./context-builder/context-builder-page').then((m) => m.ContextBuilderPage),
  },
  {
    path: '**',
    title: 'Page not found · Business Brain',
    loadComponent: () => import('./not-found/not-found-page').then((m) => m.NotFoundPage),
  },
];
