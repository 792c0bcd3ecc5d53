import { TestBed } from '@angular/core/testing';
import { Router } from '@angular/router';
import type { RouterTestingHarness } from '@angular/router/testing';
import { beforeEach, describe, expect, it } from 'vitest';

import { ContextBuilderPage } from '../context-builder/context-builder-page';
import { createAppHarness, textOf } from '../testing/create-app-harness';
import { HomePage } from './home-page';

describe('HomePage', () => {
  let harness: RouterTestingHarness;
  let router: Router;

  beforeEach(async () => {
    harness = await createAppHarness();
    router = TestBed.inject(Router);
    await harness.navigateByUrl('/', HomePage);
  });

  const root = (): HTMLElement => harness.fixture.nativeElement as HTMLElement;
  const slugInput = (): HTMLInputElement => {
    const input = root().querySelector<HTMLInputElement>('input#tenant-slug');
    if (!input) throw new Error('slug input not rendered');
    return input;
  };

  async function submit(slug: string): Promise<void> {
    const input = slugInput();
    input.value = slug;
    input.dispatchEvent(new Event('input'));
    root().querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await harness.fixture.whenStable();
  }

  it('renders the title, a description and a labelled slug field', () => {
    expect(textOf(harness, 'h1')).toBe('Business Brain');
    expect(textOf(harness, '.lead')).toContain('knowledge base');
    expect(textOf(harness, 'label[for="tenant-slug"]')).toBe('Organisation slug');
    expect(document.title).toBe('Business Brain');
  });

  it('navigates to the context builder of a valid slug', async () => {
    await submit('acme-corp-2');

    expect(router.url).toBe('/acme-corp-2/context-builder');
    expect(harness.routeDebugElement?.componentInstance).toBeInstanceOf(ContextBuilderPage);
    expect(textOf(harness, 'h1')).toBe('Context builder acme-corp-2');
  });

  it('ignores surrounding whitespace', async () => {
    await submit('  acme  ');

    expect(router.url).toBe('/acme/context-builder');
  });

  it.each([
    ['empty', '', 'Enter your organisation’s slug.'],
    ['uppercase', 'Acme', 'lowercase letters'],
    ['spaces', 'acme corp', 'lowercase letters'],
    ['underscore', 'acme_corp', 'lowercase letters'],
    ['slash', 'acme/admin', 'lowercase letters'],
    ['leading hyphen', '-acme', 'lowercase letters'],
    ['trailing hyphen', 'acme-', 'lowercase letters'],
    ['too long', 'a'.repeat(65), 'at most 64 characters'],
  ])('refuses an invalid slug (%s) and explains why', async (_case, slug, message) => {
    await submit(slug);

    expect(router.url).toBe('/');
    expect(harness.routeDebugElement?.componentInstance).toBeInstanceOf(HomePage);
    expect(textOf(harness, '[role="alert"]')).toContain(message);
    expect(slugInput().getAttribute('aria-invalid')).toBe('true');
    expect(slugInput().getAttribute('aria-describedby')).toContain('tenant-slug-error');
    expect(document.activeElement).toBe(slugInput());
  });

  it('shows no error before the first submit and clears it once the slug is fixed', async () => {
    expect(root().querySelector('[role="alert"]')).toBeNull();

    await submit('Bad Slug');
    expect(root().querySelector('[role="alert"]')).not.toBeNull();

    const input = slugInput();
    input.value = 'good-slug';
    input.dispatchEvent(new Event('input'));
    await harness.fixture.whenStable();

    expect(root().querySelector('[role="alert"]')).toBeNull();
    expect(input.hasAttribute('aria-invalid')).toBe(false);
  });
});
