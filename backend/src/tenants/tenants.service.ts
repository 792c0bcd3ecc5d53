import { Injectable, Logger } from '@nestjs/common';

import { ForbiddenError } from '../common/errors/app-error.js';
import type { Tenant } from './tenant.js';
import { TenantsRepository } from './tenants.repository.js';

@Injectable()
export class TenantsService {
  private readonly logger = new Logger('Tenants');

  constructor(private readonly tenants: TenantsRepository) {}

  /**
   * Returns the tenant for `slug`, creating it on first authorised access. A tenant belongs to
   * one Clerk organisation for good: a token from a different organisation that happens to carry
   * the same slug (e.g. after a rename) is refused, with the same answer as any other tenant.
   */
  async provision(slug: string, clerkOrgId: string | null): Promise<Tenant> {
    const tenant = (await this.tenants.findBySlug(slug)) ?? (await this.create(slug, clerkOrgId));
    if (clerkOrgId === null || tenant.clerkOrgId === clerkOrgId) return tenant;
    if (tenant.clerkOrgId === null) return this.tenants.attachOrganisation(tenant.id, clerkOrgId);
    throw new ForbiddenError();
  }

  private async create(slug: string, clerkOrgId: string | null): Promise<Tenant> {
    const tenant = await this.tenants.insertIfAbsent(slug, clerkOrgId);
    if (!tenant) {
      this.logger.warn(`organisation ${clerkOrgId ?? '?'} already owns a tenant under another slug; refused ${slug}`);
      throw new ForbiddenError();
    }
    this.logger.log(`tenant provisioned: ${slug}`);
    return tenant;
  }
}
