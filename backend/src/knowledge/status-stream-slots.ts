import { Injectable } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import { AppConfigService } from '../config/app-config.service.js';

/** Seconds a client refused a stream is told to wait: streams end as their entries settle. */
const RETRY_AFTER_SECONDS = 5;

/**
 * Counts the status streams open in this process, in all and per tenant, and refuses one more
 * past `SSE_MAX_STREAMS` or `SSE_MAX_STREAMS_PER_TENANT` with 429 and `Retry-After`, so one
 * tenant's open tabs (or a script opening thousands) cannot hold every stream or the database.
 */
@Injectable()
export class StatusStreamSlots {
  private readonly maxStreams: number;
  private readonly maxPerTenant: number;
  private total = 0;
  private readonly perTenant = new Map<string, number>();

  constructor(config: AppConfigService) {
    ({ maxStreams: this.maxStreams, maxStreamsPerTenant: this.maxPerTenant } = config.get('statusStreams'));
  }

  /** Streams open now, in all. */
  get open(): number {
    return this.total;
  }

  /** Throws the 429 `acquire` would, without taking a slot: refuses early, before any database work. */
  assertRoom(tenantId: string): void {
    if ((this.perTenant.get(tenantId) ?? 0) >= this.maxPerTenant) {
      throw new AppError('too_many_requests', `This tenant has ${this.maxPerTenant} status streams open, the most allowed; close one or try again later`, undefined, RETRY_AFTER_SECONDS);
    }
    if (this.total >= this.maxStreams) {
      throw new AppError('too_many_requests', 'The server has as many status streams open as it allows; try again later', undefined, RETRY_AFTER_SECONDS);
    }
  }

  /** Takes a slot for one stream of `tenantId`, or throws 429; the returned function gives it back (once). */
  acquire(tenantId: string): () => void {
    this.assertRoom(tenantId);
    this.total++;
    this.perTenant.set(tenantId, (this.perTenant.get(tenantId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.total--;
      const left = (this.perTenant.get(tenantId) ?? 1) - 1;
      if (left > 0) this.perTenant.set(tenantId, left);
      else this.perTenant.delete(tenantId);
    };
  }
}
