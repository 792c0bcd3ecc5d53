/**
 * An organisation (tenant) slug: lowercase letters, digits and single hyphens between them,
 * starting and ending with a letter or digit, at most 63 characters. Examples: `acme`, `acme-2`.
 */
export const TENANT_SLUG_PATTERN = /^(?=.{1,63}$)[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isTenantSlug(value: string): boolean {
  return TENANT_SLUG_PATTERN.test(value);
}
