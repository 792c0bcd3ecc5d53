import { describe, expect, it } from 'vitest';

import { ContextBuilderPage } from './context-builder/context-builder-page';
import { HomePage } from './home/home-page';
import { NotFoundPage } from './not-found/not-found-page';
import { createAppHarness, textOf } from './testing/create-app-harness';

describe('routes', () => {
  it('resolves the home page at the root URL', async () => {
    const harness = await createAppHarness();

    expect(await harness.navigateByUrl('/')).toBeInstanceOf(HomePage);
  });

  it('resolves the context builder for a tenant slug', async () => {
    const harness = await createAppHarness();

    expect(await harness.navigateByUrl('/acme/context-builder')).toBeInstanceOf(ContextBuilderPage);
  });

  it.each([
    '/does-not-exist',
    '/acme',
    '/acme/context-builder/extra',
    '/acme/settings',
    '/Not%20A%20Slug/context-builder',
    '/ACME/context-builder',
  ])('resolves the not-found page for %s', async (url) => {
    const harness = await createAppHarness();

    const page = await harness.navigateByUrl(url);

    expect(page).toBeInstanceOf(NotFoundPage);
    expect(textOf(harness, 'h1')).toBe('Page not found');
    expect(document.title).toBe('Page not found · Business Brain');
  });
});
