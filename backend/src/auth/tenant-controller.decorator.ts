import { applyDecorators, Controller, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiParam, ApiTags } from '@nestjs/swagger';

import { ClerkTenantGuard } from './clerk-tenant.guard.js';

/**
 * A controller of tenant routes, `/routes/knowledge/{tenant}/...`: behind the Clerk tenant guard,
 * documented in Swagger with its tag, the session token (bearer or cookie) and the `tenant` slug.
 */
export const TenantController = (tag: string): ClassDecorator =>
  applyDecorators(
    ApiTags(tag),
    ApiBearerAuth('clerk-session'),
    ApiCookieAuth('clerk-session-cookie'),
    ApiParam({ name: 'tenant', description: "Organisation slug; must equal the session token's active organisation", example: 'acme' }),
    UseGuards(ClerkTenantGuard),
    Controller('routes/knowledge/:tenant'),
  );
