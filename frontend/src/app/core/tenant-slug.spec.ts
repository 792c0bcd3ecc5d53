import { describe, expect, it } from 'vitest';

import { isTenantSlug } from './tenant-slug';

describe('isTenantSlug', () => {
  it.each(['acme', 'acme-corp', 'a', '42', 'team-7-eu', 'a'.repeat(63)])('accepts %s', (slug) => {
    expect(isTenantSlug(slug)).toBe(true);
  });

  it.each(['', 'Acme', 'acme corp', 'acme_corp', '-acme', 'acme-', 'acme--corp', 'acmé', 'a/b', 'a'.repeat(64)])(
    'refuses %j',
    (slug) => {
      expect(isTenantSlug(slug)).toBe(false);
    },
  );
});
