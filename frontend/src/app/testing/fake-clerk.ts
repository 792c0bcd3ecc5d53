import type { ClerkSession, Organisation } from '../core/auth/clerk-session';

/** A Clerk stand-in for unit tests: a signed-in (or not) user with organisations and a fixed token. */
export class FakeClerkSession implements ClerkSession {
  signedIn: boolean;
  activeOrganisationSlug: string | null;
  tokenValue: string | null;
  memberships: Organisation[];
  readonly mountedSignIn: HTMLDivElement[] = [];
  readonly mountedUserButton: HTMLDivElement[] = [];
  private readonly listeners = new Set<() => void>();

  constructor(options: { signedIn?: boolean; activeOrganisation?: string | null; token?: string | null; organisations?: Organisation[] } = {}) {
    this.signedIn = options.signedIn ?? true;
    this.activeOrganisationSlug = options.activeOrganisation ?? null;
    this.tokenValue = options.token ?? 'test-token';
    this.memberships = options.organisations ?? [];
  }

  organisations(): Promise<Organisation[]> {
    return Promise.resolve(this.memberships);
  }

  activate(slug: string): Promise<boolean> {
    const member = this.memberships.some((o) => o.slug === slug);
    if (member) this.activeOrganisationSlug = slug;
    return Promise.resolve(member);
  }

  token(): Promise<string | null> {
    return Promise.resolve(this.signedIn ? this.tokenValue : null);
  }

  mountSignIn(target: HTMLDivElement): void {
    this.mountedSignIn.push(target);
  }

  mountUserButton(target: HTMLDivElement): void {
    this.mountedUserButton.push(target);
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Changes the session as Clerk would (sign-in, sign-out, organisation switch) and notifies listeners. */
  change(update: Partial<Pick<FakeClerkSession, 'signedIn' | 'activeOrganisationSlug' | 'tokenValue'>>): void {
    Object.assign(this, update);
    for (const listener of this.listeners) listener();
  }
}
