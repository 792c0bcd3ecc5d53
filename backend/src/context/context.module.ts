import { Module } from '@nestjs/common';

import { AuthModule } from '../auth/auth.module.js';
import { SearchModule } from '../search/search.module.js';
import { ContextController } from './context.controller.js';
import { ContextService } from './context.service.js';

/** POST /routes/knowledge/{tenant}/context. */
@Module({
  imports: [AuthModule, SearchModule],
  controllers: [ContextController],
  providers: [ContextService],
  exports: [ContextService],
})
export class ContextModule {}
