import { isTenantSlug } from '@business-brain/contract';
import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import { AppError, ForbiddenError, UnauthenticatedError } from '../common/errors/app-error.js';
import { AppConfigService } from '../config/app-config.service.js';
import { TenantsService } from '../tenants/tenants.service.js';
import type { AuthIdentity } from './auth-identity.js';
import { ClerkTokenVerifier } from './clerk-token-verifier.js';
import { extractSessionToken } from './session-token.js';

const DEVELOPMENT_IDENTITY: AuthIdentity = { userId: null, orgId: null, orgSlug: null, orgRole: 'org:admin' };

/**
 * Guards every `/routes/knowledge/{tenant}/...` route: the Clerk session token must be valid, name
 * an active organisation by a non-empty id and slug, its slug must equal `{tenant}`, and the tenant
 * must be bound to that organisation's id (see TenantsService.provision). 401 without a valid
 * token; 403 otherwise, worded the same whether or not that tenant exists.
 */
@Injectable()
export class ClerkTenantGuard implements CanActivate {
  constructor(
    private readonly config: AppConfigService,
    private readonly verifier: ClerkTokenVerifier,
    private readonly tenants: TenantsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const slug = (request.params as Record<string, string | undefined>)['tenant'];
    const authMode = this.config.get('authMode');

    let identity: AuthIdentity;
    if (authMode === 'development') {
      if (!isTenantSlug(slug)) {
        throw new AppError('validation_failed', 'tenant must be 1-64 lowercase letters, digits or hyphens');
      }
      identity = { ...DEVELOPMENT_IDENTITY, orgSlug: slug };
    } else {
      const token = extractSessionToken(request);
      if (!token) throw new UnauthenticatedError('Missing session token: send Authorization: Bearer <token> or the __session cookie');
      identity = await this.verifier.verify(token);
      // the organisation's id is what a tenant is bound to; a slug alone names no one (slugs can be
      // renamed and reused), so a token without an id is refused like any other organisation's
      if (!identity.orgId || !identity.orgSlug || !isTenantSlug(slug) || identity.orgSlug !== slug) throw new ForbiddenError();
    }

    const tenant = await this.tenants.provision(slug, identity.orgId);
    request.tenantContext = {
      id: tenant.id,
      slug: tenant.slug,
      orgId: identity.orgId,
      orgRole: identity.orgRole,
      userId: identity.userId,
      authMode,
    };
    return true;
  }
}
