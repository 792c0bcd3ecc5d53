import { Module } from '@nestjs/common';

import { DocumentsModule } from '../documents/documents.module.js';
import { TenantQuotas } from './tenant-quotas.service.js';

/** Per-tenant caps on pending documents, stored bytes and uploads per minute. */
@Module({
  imports: [DocumentsModule],
  providers: [TenantQuotas],
  exports: [TenantQuotas],
})
export class QuotasModule {}
