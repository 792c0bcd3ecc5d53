import { Injectable, Logger } from '@nestjs/common';

import { LruMap } from '../common/cache/lru-map.js';
import { ForbiddenError } from '../common/errors/app-error.js';
import type { Tenant } from './tenant.js';
import { TenantsRepository } from './tenants.repository.js';

/** Tenants remembered by slug; past it the least recently used is forgotten (a few hundred bytes each). */
const KNOWN_TENANTS = 10_000;

@Injectable()
export class TenantsService {
  private readonly logger = new Logger('Tenants');
  /**
   * Tenants by slug as this process last read or wrote them, so a tenant route does not spend a
   * database round trip (and a pool checkout) on resolving its tenant on every request. Sound
   * because a tenant row is never deleted and its id and slug never change, and its organisation
   * is set once (none, then one id for good): a remembered tenant can only be stale in still
   * showing no organisation after another process has bound it, and such a tenant is served from
   * here only when no organisation is asked for (development mode), where binding does not count.
   */
  private readonly known = new LruMap<string, Tenant>(KNOWN_TENANTS);

  constructor(private readonly tenants: TenantsRepository) {}

  /**
   * Returns the tenant for `slug`, creating it on first authorised access.
   *
   * `clerkOrgId` null means development mode (no authentication): the tenant is created unbound
   * and served whoever it belongs to. In clerk mode the guard always passes the token's non-empty
   * organisation id, and a tenant belongs to one Clerk organisation id for good: a token of
   * another organisation carrying the same slug (after a rename, or a deleted organisation's slug
   * reused) is refused with the same answer as any other tenant. A tenant created in development
   * mode has no organisation; the first organisation that reaches it in clerk mode with that slug
   * claims it (at that moment Clerk gives the slug to one organisation only), atomically, and it is
   * bound to that organisation's id from then on.
   */
  async provision(slug: string, clerkOrgId: string | null): Promise<Tenant> {
    if (clerkOrgId === '') throw new ForbiddenError();
    const known = this.known.get(slug);
    if (known && (clerkOrgId === null || known.clerkOrgId === clerkOrgId)) return known;
    const tenant = this.remember((await this.tenants.findBySlug(slug)) ?? (await this.create(slug, clerkOrgId)));
    if (clerkOrgId === null || tenant.clerkOrgId === clerkOrgId) return tenant;
    if (tenant.clerkOrgId === null && (await this.tenants.bindIfUnbound(tenant.id, clerkOrgId))) {
      this.logger.warn(`tenant ${slug}, created without an organisation, is now bound to organisation ${clerkOrgId}`);
      return this.remember({ ...tenant, clerkOrgId });
    }
    throw new ForbiddenError();
  }

  /** Notes `tenant` as the most recently used (the least recently used past KNOWN_TENANTS is forgotten). */
  private remember(tenant: Tenant): Tenant {
    this.known.set(tenant.slug, tenant);
    return tenant;
  }

  private async create(slug: string, clerkOrgId: string | null): Promise<Tenant> {
    const tenant = await this.tenants.insertIfAbsent(slug, clerkOrgId);
    if (!tenant) {
      this.logger.warn(`organisation ${clerkOrgId ?? '?'} already owns a tenant under another slug; refused ${slug}`);
      throw new ForbiddenError();
    }
    if (tenant.clerkOrgId === clerkOrgId) this.logger.log(`tenant provisioned: ${slug}`);
    return tenant;
  }
}
