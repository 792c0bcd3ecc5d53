import { provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { type ComponentFixture, TestBed } from '@angular/core/testing';
import { Router, provideRouter } from '@angular/router';
import type { ClientConfig } from '@business-brain/contract';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { App, tenantOfUrl } from './app';
import { appConfig } from './app.config';
import { AuthSession, CLERK_LOADER } from './core/auth/auth-session';
import { authInterceptor } from './core/auth/auth.interceptor';
import { BackendStatus, RECHECK_INTERVAL_MS } from './core/feedback/backend-status';
import { FakeApi } from './testing/fake-api';
import { FakeClerkSession } from './testing/fake-clerk';
import { anIndex } from './testing/fixtures';

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

describe('App shell with the application providers', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  /** The shell with the real providers and routes; the API answered by a fake (health calls by HttpTestingController). */
  async function createShell(config: ClientConfig = { auth_mode: 'development', clerk_publishable_key: null }): Promise<ComponentFixture<App>> {
    const api = new FakeApi(config).on('GET /routes/knowledge/acme/index', { body: anIndex([]) }).on('GET /routes/knowledge/beta/index', { body: anIndex([]) });
    TestBed.configureTestingModule({
      providers: [...appConfig.providers, provideHttpClient(withInterceptors([authInterceptor, api.interceptor])), provideHttpClientTesting()],
    });
    const fixture = TestBed.createComponent(App);
    // the initializer started the session without waiting; start() hands back that same load
    await TestBed.inject(AuthSession).start();
    await fixture.whenStable();
    return fixture;
  }

  const find = (fixture: ComponentFixture<App>, selector: string) => (fixture.nativeElement as HTMLElement).querySelector<HTMLElement>(selector);
  const text = (fixture: ComponentFixture<App>, selector: string) => find(fixture, selector)?.textContent?.replace(/\s+/g, ' ').trim() ?? null;

  async function navigate(fixture: ComponentFixture<App>, url: string): Promise<void> {
    await TestBed.inject(Router).navigateByUrl(url);
    await fixture.whenStable();
  }

  it('warns that authentication is off in development mode', async () => {
    const fixture = await createShell();

    expect(text(fixture, '[data-testid=dev-banner]')).toContain('Authentication is off');
    expect(find(fixture, '[data-testid=dev-banner]')?.getAttribute('role')).toBe('status');
  });

  it('shows no development banner in Clerk mode, and mounts Clerk’s user button once signed in', async () => {
    const clerk = new FakeClerkSession({ signedIn: true, activeOrganisation: 'acme' });
    vi.spyOn(CLERK_LOADER, 'load').mockResolvedValue(clerk);

    const fixture = await createShell({ auth_mode: 'clerk', clerk_publishable_key: 'pk_test_x' });

    expect(find(fixture, '[data-testid=dev-banner]')).toBeNull();
    const userButton = find(fixture, 'header .user-button');
    expect(userButton).not.toBeNull();
    expect(clerk.mountedUserButton).toEqual([userButton]);
  });

  it('shows no user button while signed out in Clerk mode', async () => {
    vi.spyOn(CLERK_LOADER, 'load').mockResolvedValue(new FakeClerkSession({ signedIn: false }));

    const fixture = await createShell({ auth_mode: 'clerk', clerk_publishable_key: 'pk_test_x' });

    expect(find(fixture, '[data-testid=dev-banner]')).toBeNull();
    expect(find(fixture, 'header .user-button')).toBeNull();
  });

  it('names the tenant of the URL in the header, and follows navigation to another tenant (never stale)', async () => {
    const fixture = await createShell();
    expect(find(fixture, '[data-testid=tenant-name]')).toBeNull();

    await navigate(fixture, '/acme/context-builder');
    expect(text(fixture, '[data-testid=tenant-name]')).toBe('Organisation: acme');
    expect(text(fixture, 'header a.switch')).toBe('Switch organisation');

    await navigate(fixture, '/beta/context-builder');
    expect(text(fixture, '[data-testid=tenant-name]')).toBe('Organisation: beta');

    await navigate(fixture, '/beta/context-builder/search');
    expect(text(fixture, '[data-testid=tenant-name]')).toBe('Organisation: beta');

    await navigate(fixture, '/');
    expect(find(fixture, '[data-testid=tenant-name]')).toBeNull();
  });

  it('shows no tenant on a not-found page, even one whose first segment looks like a slug', async () => {
    const fixture = await createShell();
    await navigate(fixture, '/acme/context-builder');

    await navigate(fixture, '/acme/settings');

    expect(text(fixture, 'h1')).toBe('Page not found');
    expect(find(fixture, '[data-testid=tenant-name]')).toBeNull();
  });

  it('shows the offline banner once the backend is lost, and hides it when "Try now" finds it again', async () => {
    const fixture = await createShell();
    const backend = TestBed.inject(BackendStatus);
    const http = TestBed.inject(HttpTestingController);
    expect(find(fixture, '[data-testid=offline-banner]')).toBeNull();

    backend.markLost();
    await fixture.whenStable();

    expect(text(fixture, '[data-testid=offline-banner]')).toContain('Cannot reach the Business Brain server');
    find(fixture, '[data-testid=offline-banner] button')?.click();
    http.expectOne('/health').flush({ status: 'healthy' });
    await fixture.whenStable();

    expect(find(fixture, '[data-testid=offline-banner]')).toBeNull();
    http.verify();
  });

  it('asks the health route every few seconds while the backend is lost, until it answers', async () => {
    const fixture = await createShell();
    const backend = TestBed.inject(BackendStatus);
    const http = TestBed.inject(HttpTestingController);
    let recovered = 0;
    backend.recovered.subscribe(() => recovered++);
    vi.useFakeTimers();

    backend.markLost();
    await vi.advanceTimersByTimeAsync(RECHECK_INTERVAL_MS - 1);
    http.expectNone('/health');

    await vi.advanceTimersByTimeAsync(1);
    http.expectOne('/health').flush(null, { status: 503, statusText: 'Service Unavailable' });
    await vi.advanceTimersByTimeAsync(RECHECK_INTERVAL_MS);
    http.expectOne('/health').flush({ status: 'healthy' });
    await vi.advanceTimersByTimeAsync(0);

    expect(backend.reachable()).toBe(true);
    expect(recovered).toBe(1);
    expect(find(fixture, '[data-testid=offline-banner]')).toBeNull();
    // recovered: no further checks are scheduled
    await vi.advanceTimersByTimeAsync(RECHECK_INTERVAL_MS * 3);
    http.verify();
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('tenantOfUrl', () => {
  it.each([
    ['/acme/context-builder', 'acme'],
    ['/acme/context-builder/', 'acme'],
    ['/acme-corp-2/context-builder/search', 'acme-corp-2'],
    ['/acme/context-builder/entries/abc?document=d&chunk=3', 'acme'],
    ['/acme/context-builder?x=1', 'acme'],
    ['/acme/context-builder#top', 'acme'],
  ])('finds the tenant of %s', (url, tenant) => {
    expect(tenantOfUrl(url)).toBe(tenant);
  });

  it.each([
    ['/'],
    [''],
    ['/acme'],
    ['/acme/settings'],
    ['/ACME/context-builder'],
    ['/-acme/context-builder'],
    ['/not%20a%20slug/context-builder'],
    ['/context-builder/acme'],
    ['/?next=/acme/context-builder'],
  ])('finds no tenant in %s', (url) => {
    expect(tenantOfUrl(url)).toBeNull();
  });
});
