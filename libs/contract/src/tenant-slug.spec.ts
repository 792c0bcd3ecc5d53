import { isTenantSlug } from './tenant-slug.js';

describe('isTenantSlug', () => {
  it.each(['acme', 'acme-corp', 'a', '42', 'team-7-eu', 'acme--corp', 'a'.repeat(64)])('accepts %s', (slug) => {
    expect(isTenantSlug(slug)).toBe(true);
  });

  it.each(['', 'Acme', 'acme corp', 'acme_corp', '-acme', 'acme-', 'acmé', 'a/b', 'a'.repeat(65), undefined, 42])('refuses %j', (slug) => {
    expect(isTenantSlug(slug)).toBe(false);
  });
});
