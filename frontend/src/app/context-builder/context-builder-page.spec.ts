import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { describe, expect, it } from 'vitest';

import { createAppHarness, textOf } from '../testing/create-app-harness';
import { ContextBuilderPage } from './context-builder-page';

describe('ContextBuilderPage', () => {
  it('shows the tenant taken from the route parameter', async () => {
    const harness = await createAppHarness();

    const page = await harness.navigateByUrl('/globex/context-builder', ContextBuilderPage);

    expect(page.tenant()).toBe('globex');
    expect(textOf(harness, 'h1')).toBe('Context builder — globex');
    expect(textOf(harness, '[role="note"]')).toBe(
      'The knowledge editor for globex arrives in a later release.',
    );
    expect(document.title).toBe('Context builder — globex · Business Brain');
  });

  it('follows the route when the tenant changes', async () => {
    const harness = await createAppHarness();
    await harness.navigateByUrl('/acme/context-builder', ContextBuilderPage);

    await harness.navigateByUrl('/initech/context-builder', ContextBuilderPage);

    expect(textOf(harness, 'h1')).toBe('Context builder — initech');
  });

  it('renders a tenant given directly as an input', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(ContextBuilderPage);
    fixture.componentRef.setInput('tenant', 'umbrella');
    await fixture.whenStable();

    const heading = (fixture.nativeElement as HTMLElement).querySelector('h1');
    expect(heading?.textContent?.trim()).toBe('Context builder — umbrella');
  });
});
