import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import type { Tenant } from './tenant.js';

const SELECT = { id: true, slug: true, clerkOrgId: true } as const;

/** The tenant registry. Not tenant-owned itself: it maps slugs to tenant ids. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly prisma: PrismaService) {}

  findBySlug(slug: string): Promise<Tenant | null> {
    return this.prisma.tenant.findUnique({ where: { slug }, select: SELECT });
  }

  /**
   * Inserts the tenant unless its slug (or organisation) is taken; never overwrites a row and is
   * safe under concurrent first requests. Null when the organisation already owns another slug.
   */
  async insertIfAbsent(slug: string, clerkOrgId: string | null): Promise<Tenant | null> {
    await this.prisma.$executeRaw`
      INSERT INTO tenants (slug, clerk_org_id) VALUES (${slug}, ${clerkOrgId})
      ON CONFLICT DO NOTHING`;
    return this.findBySlug(slug);
  }

  async attachOrganisation(id: string, clerkOrgId: string): Promise<Tenant> {
    return this.prisma.tenant.update({ where: { id }, data: { clerkOrgId }, select: SELECT });
  }
}
