/** Clerk organisation slugs: lowercase letters, digits and single hyphens, 1-64 characters. */
const TENANT_SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export const isTenantSlug = (value: unknown): value is string => typeof value === 'string' && TENANT_SLUG.test(value);
