/**
 * An organisation (tenant) slug, by the API's rule (backend/src/tenants/tenant-slug.ts): lowercase
 * letters, digits and hyphens, starting and ending with a letter or digit, 1-64 characters.
 * Examples: `acme`, `acme-2`.
 */
export const TENANT_SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function isTenantSlug(value: string): boolean {
  return TENANT_SLUG_PATTERN.test(value);
}
