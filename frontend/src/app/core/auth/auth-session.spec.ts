import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { TestBed } from '@angular/core/testing';
import type { ClientConfig } from '@business-brain/contract';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { FakeClerkSession } from '../../testing/fake-clerk';
import { FakeApi } from '../../testing/fake-api';
import { UNREACHABLE_MESSAGE } from '../api/api-error';
import { AuthSession, CLERK_LOADER } from './auth-session';
import { authInterceptor } from './auth.interceptor';

const DEVELOPMENT: ClientConfig = { auth_mode: 'development', clerk_publishable_key: null };
const CLERK: ClientConfig = { auth_mode: 'clerk', clerk_publishable_key: 'pk_test_abc' };

function setUp(api: FakeApi): AuthSession {
  TestBed.configureTestingModule({ providers: [provideHttpClient(withInterceptors([authInterceptor, api.interceptor]))] });
  return TestBed.inject(AuthSession);
}

/** Replaces Clerk's loader with one handing out `clerk` (restored after each test). */
function useFakeClerk(clerk: FakeClerkSession) {
  return vi.spyOn(CLERK_LOADER, 'load').mockResolvedValue(clerk);
}

const configRequests = (api: FakeApi) => api.seen.filter((r) => r.url.endsWith('/routes/knowledge/client-config'));

afterEach(() => vi.restoreAllMocks());

describe('AuthSession', () => {
  it('is loading until the client configuration has been read', () => {
    const session = setUp(new FakeApi());

    expect(session.state()).toEqual({ kind: 'loading' });
    expect(session.developmentMode()).toBe(false);
  });

  it('runs in development mode, without a token and without loading Clerk, when the server says so', async () => {
    const load = vi.spyOn(CLERK_LOADER, 'load');
    const api = new FakeApi(DEVELOPMENT);
    const session = setUp(api);

    await session.start();

    expect(session.state()).toEqual({ kind: 'development' });
    expect(session.developmentMode()).toBe(true);
    expect(await session.token()).toBeNull();
    expect(await session.organisations()).toEqual([]);
    expect(await session.activate('any-tenant')).toBe(true);
    expect(load).not.toHaveBeenCalled();
    expect(configRequests(api)).toEqual([{ method: 'GET', url: '/routes/knowledge/client-config', body: null }]);
  });

  it('asks the server only once however often start() is called', async () => {
    const api = new FakeApi(DEVELOPMENT);
    const session = setUp(api);

    await Promise.all([session.start(), session.start()]);
    await session.start();

    expect(configRequests(api)).toHaveLength(1);
  });

  it('loads Clerk with the publishable key and reflects its session', async () => {
    const clerk = new FakeClerkSession({
      signedIn: true,
      activeOrganisation: 'acme',
      token: 'session-jwt',
      organisations: [{ id: 'org_1', slug: 'acme', name: 'Acme' }],
    });
    const load = useFakeClerk(clerk);
    const session = setUp(new FakeApi(CLERK));

    await session.start();

    expect(load).toHaveBeenCalledExactlyOnceWith('pk_test_abc');
    expect(session.state()).toEqual({ kind: 'clerk', signedIn: true, activeOrganisation: 'acme' });
    expect(session.developmentMode()).toBe(false);
    expect(await session.token()).toBe('session-jwt');
    expect(await session.organisations()).toEqual([{ id: 'org_1', slug: 'acme', name: 'Acme' }]);
  });

  it('follows Clerk’s changes: sign-out, then sign-in into another organisation', async () => {
    const clerk = new FakeClerkSession({ signedIn: true, activeOrganisation: 'acme' });
    useFakeClerk(clerk);
    const session = setUp(new FakeApi(CLERK));
    await session.start();

    clerk.change({ signedIn: false, activeOrganisationSlug: null });
    expect(session.state()).toEqual({ kind: 'clerk', signedIn: false, activeOrganisation: null });
    expect(await session.token()).toBeNull();

    clerk.change({ signedIn: true, activeOrganisationSlug: 'beta' });
    expect(session.state()).toEqual({ kind: 'clerk', signedIn: true, activeOrganisation: 'beta' });
  });

  it('activates an organisation only when the user is a member of it', async () => {
    const clerk = new FakeClerkSession({ organisations: [{ id: 'org_1', slug: 'acme', name: 'Acme' }] });
    useFakeClerk(clerk);
    const session = setUp(new FakeApi(CLERK));
    await session.start();

    expect(await session.activate('beta')).toBe(false);
    expect(await session.activate('acme')).toBe(true);
    expect(clerk.activeOrganisationSlug).toBe('acme');
  });

  it('hands mount targets to Clerk', async () => {
    const clerk = new FakeClerkSession();
    useFakeClerk(clerk);
    const session = setUp(new FakeApi(CLERK));
    await session.start();
    const [signIn, userButton] = [document.createElement('div'), document.createElement('div')];

    session.mountSignIn(signIn);
    session.mountUserButton(userButton);

    expect(clerk.mountedSignIn).toEqual([signIn]);
    expect(clerk.mountedUserButton).toEqual([userButton]);
  });

  it('is unavailable, naming CLERK_PUBLISHABLE_KEY, when sign-in is on without a key; Clerk is not loaded', async () => {
    const load = vi.spyOn(CLERK_LOADER, 'load');
    const session = setUp(new FakeApi({ auth_mode: 'clerk', clerk_publishable_key: null }));

    await session.start();

    const state = session.state();
    expect(state.kind).toBe('unavailable');
    expect(state.kind === 'unavailable' && state.message).toContain('CLERK_PUBLISHABLE_KEY');
    expect(load).not.toHaveBeenCalled();
    expect(await session.token()).toBeNull();
    expect(await session.activate('acme')).toBe(false);
  });

  it('is unavailable with a readable message when Clerk fails to load', async () => {
    vi.spyOn(CLERK_LOADER, 'load').mockRejectedValue(new Error('Clerk: invalid publishable key'));
    const session = setUp(new FakeApi(CLERK));

    await session.start();

    expect(session.state()).toEqual({ kind: 'unavailable', message: 'Clerk: invalid publishable key' });
  });

  it('is unavailable when the client configuration cannot be loaded, and start() again retries', async () => {
    const api = new FakeApi().on('GET /routes/knowledge/client-config', { status: 0, body: null });
    const session = setUp(api);

    await session.start();

    expect(session.state()).toEqual({ kind: 'unavailable', message: UNREACHABLE_MESSAGE });
    expect(configRequests(api)).toHaveLength(1);

    api.on('GET /routes/knowledge/client-config', { body: DEVELOPMENT });
    await session.start();

    expect(session.state()).toEqual({ kind: 'development' });
    expect(configRequests(api)).toHaveLength(2);
  });

  it('shows the server’s message when the client configuration is refused', async () => {
    const refusal = { statusCode: 500, error: 'Internal Server Error', message: 'Configuration is broken.', request_id: 'r' };
    const session = setUp(new FakeApi().on('GET /routes/knowledge/client-config', { status: 500, body: refusal }));

    await session.start();

    expect(session.state()).toEqual({ kind: 'unavailable', message: 'Configuration is broken.' });
  });
});

describe('authInterceptor', () => {
  /** Runs GET `url` through the interceptors; returns the Authorization header the API saw. */
  async function authorizationSentTo(api: FakeApi, url: string): Promise<string | null> {
    let authorization: string | null = 'not called';
    api.on(`GET ${new URL(url, 'http://x').pathname}`, (request) => {
      authorization = request.headers.get('Authorization');
      return { body: {} };
    });
    await firstValueFrom(TestBed.inject(HttpClient).get(url));
    return authorization;
  }

  it('adds the Clerk token as a bearer token to calls of the knowledge API', async () => {
    useFakeClerk(new FakeClerkSession({ token: 'jwt-abc' }));
    const api = new FakeApi(CLERK);
    await setUp(api).start();

    expect(await authorizationSentTo(api, '/routes/knowledge/acme/index?limit=10')).toBe('Bearer jwt-abc');
    expect(await authorizationSentTo(api, '/routes/knowledge/acme/entry-1')).toBe('Bearer jwt-abc');
  });

  it('leaves other URLs alone', async () => {
    useFakeClerk(new FakeClerkSession({ token: 'jwt-abc' }));
    const api = new FakeApi(CLERK);
    await setUp(api).start();

    expect(await authorizationSentTo(api, '/health')).toBeNull();
    expect(await authorizationSentTo(api, 'https://elsewhere.example/data')).toBeNull();
  });

  it('sends no Authorization when signed out or in development mode', async () => {
    const clerk = new FakeClerkSession({ signedIn: false });
    useFakeClerk(clerk);
    const clerkApi = new FakeApi(CLERK);
    await setUp(clerkApi).start();

    expect(await authorizationSentTo(clerkApi, '/routes/knowledge/acme/index')).toBeNull();

    TestBed.resetTestingModule();
    const devApi = new FakeApi(DEVELOPMENT);
    await setUp(devApi).start();

    expect(await authorizationSentTo(devApi, '/routes/knowledge/acme/index')).toBeNull();
  });

  it('uses the current token for each call (a refreshed token is picked up)', async () => {
    const clerk = new FakeClerkSession({ token: 'first' });
    useFakeClerk(clerk);
    const api = new FakeApi(CLERK);
    await setUp(api).start();

    expect(await authorizationSentTo(api, '/routes/knowledge/acme/index')).toBe('Bearer first');
    clerk.tokenValue = 'second';
    expect(await authorizationSentTo(api, '/routes/knowledge/acme/index')).toBe('Bearer second');
  });
});
