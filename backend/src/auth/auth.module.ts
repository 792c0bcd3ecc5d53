import { Module } from '@nestjs/common';

import { TenantsModule } from '../tenants/tenants.module.js';
import { ClerkTenantGuard } from './clerk-tenant.guard.js';
import { ClerkTokenVerifier } from './clerk-token-verifier.js';

@Module({
  imports: [TenantsModule],
  providers: [ClerkTokenVerifier, ClerkTenantGuard],
  exports: [ClerkTokenVerifier, ClerkTenantGuard, TenantsModule],
})
export class AuthModule {}
