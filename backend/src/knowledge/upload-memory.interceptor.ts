import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { finalize, type Observable } from 'rxjs';

import { AppError } from '../common/errors/app-error.js';
import { ByteBudget } from '../common/scheduling/byte-budget.js';
import { AppConfigService } from '../config/app-config.service.js';
import { formatBytes } from '../extraction/format-bytes.js';

/** When a refused upload might try again: an upload ahead of it takes seconds to store. */
export const UPLOAD_RETRY_AFTER_SECONDS = 5;
/** Room for a multipart body's text fields and boundaries beside its files, when its length is unknown. */
const MULTIPART_OVERHEAD_BYTES = 1024 * 1024;

/** The process's one budget of upload bytes held in memory (UPLOAD_MEMORY_BUDGET_BYTES). */
@Injectable()
export class UploadMemoryBudget extends ByteBudget {
  constructor(config: AppConfigService) {
    super(config.get('uploads').memoryBudgetBytes);
  }
}

/**
 * Bounds the upload bytes held in memory by all requests together. An upload route's body is
 * buffered whole (its files until they are stored in the database), so before it is read, and
 * after the tenant guard, the request takes its length (Content-Length; without one, the most a
 * request may carry) from the process's budget, and gives it back once its sources are stored or
 * it failed. A request that does not fit waits, first come first served, up to
 * UPLOAD_MEMORY_WAIT_MS, then gets 503 with Retry-After; one larger than the whole budget is 413
 * at once. Its body waits unread meanwhile (the client is held back by TCP, not buffered here).
 * A JSON body has been parsed by then (at most MAX_JSON_BODY_BYTES): it counts all the same, so
 * what follows (copies into the database's parameters) is bounded too.
 */
@Injectable()
export class UploadMemoryInterceptor implements NestInterceptor {
  constructor(
    private readonly budget: UploadMemoryBudget,
    private readonly config: AppConfigService,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const bytes = this.bytesOf(request);
    if (bytes > this.budget.capacity) {
      throw new AppError(
        'payload_too_large',
        `This upload is ${formatBytes(bytes)}, more than the ${formatBytes(this.budget.capacity)} the server takes in at once; send fewer files per request.`,
      );
    }
    const gone = new AbortController();
    const onClose = (): void => gone.abort();
    request.raw.once('close', onClose);
    const release = await this.budget.acquire(bytes, this.config.get('uploads').memoryWaitMs, gone.signal).finally(() => request.raw.off('close', onClose));
    if (!release) {
      throw new AppError(
        'service_unavailable',
        'The server is taking in as many uploads as its memory allows; try again shortly.',
        undefined,
        UPLOAD_RETRY_AFTER_SECONDS,
      );
    }
    return next.handle().pipe(finalize(release));
  }

  private bytesOf(request: FastifyRequest): number {
    const declared = Number(request.headers['content-length']);
    if (Number.isSafeInteger(declared) && declared >= 0) return declared;
    const { maxFileBytes, maxFiles } = this.config.get('uploads');
    return Math.min(this.budget.capacity, maxFileBytes * maxFiles + MULTIPART_OVERHEAD_BYTES);
  }
}
