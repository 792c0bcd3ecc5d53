import { HttpClient } from '@angular/common/http';
import { Injectable, computed, inject, signal } from '@angular/core';
import type { ClientConfig } from '@business-brain/contract';
import { firstValueFrom } from 'rxjs';

import { APP_CONFIG, apiUrl } from '../app-config';
import { readableError } from '../api/api-error';
import { loadClerkSession, type ClerkSession, type Organisation } from './clerk-session';

export type AuthState =
  | { kind: 'loading' }
  /** The backend runs without sign-in: any tenant, no token. */
  | { kind: 'development' }
  | { kind: 'clerk'; signedIn: boolean; activeOrganisation: string | null }
  /** Client configuration could not be loaded (backend down, or Clerk misconfigured). */
  | { kind: 'unavailable'; message: string };

/** Factory seam so unit tests can hand in a fake Clerk. */
export const CLERK_LOADER = { load: loadClerkSession };

/**
 * The browser's view of who is signed in. Asks the backend whether sign-in is on; only then, and
 * only with a publishable key, loads Clerk. Every API call takes its token from here.
 */
@Injectable({ providedIn: 'root' })
export class AuthSession {
  private readonly http = inject(HttpClient);
  private readonly config = inject(APP_CONFIG);
  private readonly stateSignal = signal<AuthState>({ kind: 'loading' });
  private clerk: ClerkSession | null = null;
  private started: Promise<void> | null = null;

  readonly state = this.stateSignal.asReadonly();
  readonly developmentMode = computed(() => this.state().kind === 'development');

  /** Loads the client configuration once (and Clerk, when on); safe to call again after a failure. */
  start(): Promise<void> {
    this.started ??= this.load().catch((error: unknown) => {
      this.started = null;
      this.stateSignal.set({ kind: 'unavailable', message: readableError(error).message });
    });
    return this.started;
  }

  private async load(): Promise<void> {
    const config = await firstValueFrom(this.http.get<ClientConfig>(apiUrl(this.config, 'routes/knowledge/client-config')));
    if (config.auth_mode === 'development') {
      this.stateSignal.set({ kind: 'development' });
      return;
    }
    if (!config.clerk_publishable_key) {
      this.stateSignal.set({
        kind: 'unavailable',
        message: 'Sign-in is on but the server has no CLERK_PUBLISHABLE_KEY, so this app cannot sign you in.',
      });
      return;
    }
    const clerk = await CLERK_LOADER.load(config.clerk_publishable_key);
    this.clerk = clerk;
    const refresh = () =>
      this.stateSignal.set({ kind: 'clerk', signedIn: clerk.signedIn, activeOrganisation: clerk.activeOrganisationSlug });
    clerk.onChange(refresh);
    refresh();
  }

  /** The bearer token for API calls: null in development mode or when signed out. */
  async token(): Promise<string | null> {
    return this.clerk ? this.clerk.token() : null;
  }

  organisations(): Promise<Organisation[]> {
    return this.clerk ? this.clerk.organisations() : Promise.resolve([]);
  }

  /** In Clerk mode, makes `slug` the active organisation; true when the user may work in it. */
  async activate(slug: string): Promise<boolean> {
    if (this.state().kind === 'development') return true;
    return this.clerk ? this.clerk.activate(slug) : false;
  }

  mountSignIn(target: HTMLDivElement): void {
    this.clerk?.mountSignIn(target);
  }

  mountUserButton(target: HTMLDivElement): void {
    this.clerk?.mountUserButton(target);
  }
}
