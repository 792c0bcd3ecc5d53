import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

import type { TenantContext } from './auth-identity.js';

/** The tenant the guard authorised. Throws if a route forgot the guard, rather than run unscoped. */
export const CurrentTenant = createParamDecorator((_data: unknown, context: ExecutionContext): TenantContext => {
  const tenant = context.switchToHttp().getRequest<FastifyRequest>().tenantContext;
  if (!tenant) throw new Error('CurrentTenant used on a route without ClerkTenantGuard');
  return tenant;
});
