import type { AuthIdentity } from './auth-identity.js';

const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/**
 * Reads the active organisation from a Clerk session token. Version 2 tokens (`v: 2`) carry it
 * compactly as `o: { id, slg, rol }` (the role without its `org:` prefix); version 1 tokens use
 * `org_id`, `org_slug` and `org_role`.
 */
export function identityFromClaims(claims: Record<string, unknown>): AuthIdentity {
  const userId = str(claims['sub']);
  if (claims['v'] === 2) {
    const org = (typeof claims['o'] === 'object' && claims['o'] !== null ? claims['o'] : {}) as Record<string, unknown>;
    const role = str(org['rol']);
    return {
      userId,
      orgId: str(org['id']),
      orgSlug: str(org['slg']),
      orgRole: role === null ? null : role.startsWith('org:') ? role : `org:${role}`,
    };
  }
  return {
    userId,
    orgId: str(claims['org_id']),
    orgSlug: str(claims['org_slug']),
    orgRole: str(claims['org_role']),
  };
}
