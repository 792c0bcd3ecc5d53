import { TestBed } from '@angular/core/testing';
import { provideRouter } from '@angular/router';
import { describe, expect, it } from 'vitest';

import { App } from './app';

describe('App shell', () => {
  it('renders a skip link, a home link with the product name and the main landmark', async () => {
    TestBed.configureTestingModule({ providers: [provideRouter([])] });
    const fixture = TestBed.createComponent(App);
    await fixture.whenStable();
    const root = fixture.nativeElement as HTMLElement;

    expect(root.querySelector('a.skip-link')?.getAttribute('href')).toBe('#main');
    const brand = root.querySelector('header a.brand');
    expect(brand?.textContent?.trim()).toBe('Business Brain');
    expect(brand?.getAttribute('href')).toBe('/');
    expect(root.querySelector('main#main router-outlet')).not.toBeNull();
  });
});
