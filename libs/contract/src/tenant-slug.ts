/**
 * An organisation (tenant) slug, as Clerk writes them and the API accepts them in
 * `/routes/knowledge/{tenant}/...`: lowercase letters, digits and hyphens, starting and ending
 * with a letter or digit, 1-64 characters. Examples: `acme`, `acme-2`.
 */
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export const TENANT_SLUG_RULE = '1-64 lowercase letters, digits or hyphens, starting and ending with a letter or digit';

export function isTenantSlug(value: unknown): value is string {
  return typeof value === 'string' && TENANT_SLUG_PATTERN.test(value);
}
