import { Injectable } from '@nestjs/common';

import { PrismaService } from '../database/prisma.service.js';
import { Prisma } from '../generated/prisma/client.js';
import type { Tenant } from './tenant.js';

const SELECT = { id: true, slug: true, clerkOrgId: true } as const;

const isUniqueViolation = (error: unknown): boolean => error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002';

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

  /**
   * Binds a tenant that has no organisation yet to `clerkOrgId`, only if it still has none (one
   * statement, so of two organisations racing for it exactly one wins, and a bound tenant is
   * never rebound). False when it was already bound or the organisation owns another tenant.
   */
  async bindIfUnbound(id: string, clerkOrgId: string): Promise<boolean> {
    try {
      const { count } = await this.prisma.tenant.updateMany({ where: { id, clerkOrgId: null }, data: { clerkOrgId } });
      return count === 1;
    } catch (error) {
      if (isUniqueViolation(error)) return false;
      throw error;
    }
  }
}
