import type { Clerk } from '@clerk/clerk-js';

/** An organisation the signed-in user belongs to. */
export interface Organisation {
  id: string;
  slug: string;
  name: string;
}

/** What the app needs from Clerk, behind one small surface (and loaded only when sign-in is on). */
export interface ClerkSession {
  readonly signedIn: boolean;
  readonly activeOrganisationSlug: string | null;
  organisations(): Promise<Organisation[]>;
  /** Makes the organisation with this slug the active one; false when the user is not a member. */
  activate(slug: string): Promise<boolean>;
  token(): Promise<string | null>;
  mountSignIn(target: HTMLDivElement): void;
  mountUserButton(target: HTMLDivElement): void;
  onChange(listener: () => void): () => void;
}

/** Loads `@clerk/clerk-js` (a separate chunk, fetched only here) and wraps a loaded Clerk instance. */
export async function loadClerkSession(publishableKey: string): Promise<ClerkSession> {
  const { Clerk: ClerkClass } = await import('@clerk/clerk-js');
  const clerk: Clerk = new ClerkClass(publishableKey);
  await clerk.load();
  const organisations = async (): Promise<Organisation[]> => {
    const memberships = (await clerk.user?.getOrganizationMemberships())?.data ?? [];
    return memberships
      .map((m) => ({ id: m.organization.id, slug: m.organization.slug ?? '', name: m.organization.name }))
      .filter((o) => o.slug !== '');
  };
  return {
    organisations,
    get signedIn() {
      return clerk.user !== null && clerk.user !== undefined;
    },
    get activeOrganisationSlug() {
      return clerk.organization?.slug ?? null;
    },
    async activate(slug) {
      if (clerk.organization?.slug === slug) return true;
      const match = (await organisations()).find((o) => o.slug === slug);
      if (!match) return false;
      await clerk.setActive({ organization: match.id });
      return true;
    },
    async token() {
      return (await clerk.session?.getToken()) ?? null;
    },
    mountSignIn(target) {
      clerk.mountSignIn(target, {});
    },
    mountUserButton(target) {
      clerk.mountUserButton(target);
    },
    onChange(listener) {
      return clerk.addListener(() => listener());
    },
  };
}
