import { Injectable, Logger } from '@nestjs/common';

import { Clock } from '../common/time/clock.js';
import { AppConfigService } from '../config/app-config.service.js';
import type { RateLimitConfig } from '../config/app-config.js';
import { rateLimitTarget, type RateLimitedRequest } from './rate-limit-policy.js';
import { RateLimitStore } from './rate-limit-store.js';

/** The fixed window requests are counted in. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

export interface RateLimitDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** Seconds until the window ends and the count starts again (at least 1). */
  resetSeconds: number;
}

/**
 * Fixed-window rate limits over the database's counters (one statement per request; all API
 * processes on the database share the counts). The windows are aligned to the clock's minute, so
 * every process agrees on them. When the database cannot be reached the request is let through:
 * a rate limiter must not turn a database outage into refusals of requests that need no database.
 */
@Injectable()
export class RateLimiter {
  private readonly logger = new Logger('RateLimiter');
  private readonly limits: RateLimitConfig;
  private currentWindow = 0;
  private lastFailureWindow = 0;

  constructor(
    private readonly store: RateLimitStore,
    private readonly clock: Clock,
    config: AppConfigService,
  ) {
    this.limits = config.get('rateLimits');
  }

  /** Null when the request is not limited. */
  async check(request: RateLimitedRequest): Promise<RateLimitDecision | null> {
    const target = rateLimitTarget(request, this.limits);
    if (!target) return null;
    const now = this.clock.now();
    const windowStart = Math.floor(now / RATE_LIMIT_WINDOW_MS) * RATE_LIMIT_WINDOW_MS;
    if (windowStart > this.currentWindow) this.enterWindow(windowStart);
    const resetSeconds = Math.max(1, Math.ceil((windowStart + RATE_LIMIT_WINDOW_MS - now) / 1000));
    let hits: number;
    try {
      hits = await this.store.hit(target.bucket, new Date(windowStart));
    } catch (error) {
      if (this.lastFailureWindow !== windowStart) {
        this.lastFailureWindow = windowStart;
        this.logger.warn({ err: error }, 'rate limit counters unavailable: requests are let through uncounted');
      }
      return null;
    }
    return { allowed: hits <= target.limit, limit: target.limit, remaining: Math.max(0, target.limit - hits), resetSeconds };
  }

  /** The first request of a new window here deletes the windows before the previous one. */
  private enterWindow(windowStart: number): void {
    this.currentWindow = windowStart;
    void this.store.prune(new Date(windowStart - RATE_LIMIT_WINDOW_MS)).catch((error: unknown) => {
      this.logger.warn({ err: error }, 'could not prune old rate limit windows');
    });
  }
}
