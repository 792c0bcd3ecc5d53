import type { CanMatchFn, Routes } from '@angular/router';
import { isTenantSlug } from '@business-brain/contract';

/** Only URLs whose first segment is a well-formed tenant slug reach the context builder; the rest fall through to not-found. */
const tenantSlugMatches: CanMatchFn = (_route, segments) => isTenantSlug(segments[0]?.path ?? '');

const tenantTitle = (section: string) => (route: { paramMap: { get(name: string): string | null } }) =>
  `${section} — ${route.paramMap.get('tenant') ?? ''} · Business Brain`;

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
    loadComponent: () => import('./context-builder/context-builder-page').then((m) => m.ContextBuilderPage),
    children: [
      {
        path: '',
        pathMatch: 'full',
        title: tenantTitle('Context builder'),
        loadComponent: () => import('./knowledge/build-panel').then((m) => m.BuildPanel),
      },
      {
        path: 'search',
        title: tenantTitle('Search'),
        loadComponent: () => import('./search/search-page').then((m) => m.SearchPage),
      },
      {
        path: 'ask',
        title: tenantTitle('Ask'),
        loadComponent: () => import('./ask/ask-page').then((m) => m.AskPage),
      },
      {
        path: 'entries/:id',
        title: tenantTitle('Entry'),
        loadComponent: () => import('./entry/entry-detail-page').then((m) => m.EntryDetailPage),
      },
    ],
  },
  {
    path: '**',
    title: 'Page not found · Business Brain',
    loadComponent: () => import('./not-found/not-found-page').then((m) => m.NotFoundPage),
  },
];
