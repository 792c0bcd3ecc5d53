import { Module } from '@nestjs/common';

import { Clock } from '../common/time/clock.js';
import { RateLimitStore } from './rate-limit-store.js';
import { RateLimiter } from './rate-limiter.service.js';

/** Request rate limits per tenant and per client address, counted in the database (see rate-limit.hook.ts). */
@Module({
  providers: [RateLimitStore, RateLimiter, Clock],
  exports: [RateLimiter, Clock],
})
export class RateLimitModule {}
