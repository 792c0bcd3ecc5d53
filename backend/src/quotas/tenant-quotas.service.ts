import { Injectable } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import { AppConfigService } from '../config/app-config.service.js';
import type { QuotaConfig } from '../config/app-config.js';
import type { TenantTransaction } from '../database/tenant-database.js';
import { lockTenant } from '../database/tenant-lock.js';
import { DocumentsRepository } from '../documents/documents.repository.js';
import { formatBytes } from '../extraction/format-bytes.js';

/** When a tenant at its cap of pending documents might try again: a document takes seconds to minutes. */
export const PENDING_RETRY_AFTER_SECONDS = 30;

/** What a request has just stored or queued again, in its transaction. */
export interface QuotaChange {
  /** Documents it made pending (new or queued again). */
  documents: number;
  /** Bytes it added. */
  bytes: number;
  /** Whether its documents are new, and count as uploads. */
  uploads: boolean;
}

/**
 * The per-tenant caps an operator configures (QUOTA_*; 0 = none): documents queued or processing,
 * bytes stored, documents added per minute. Checked at the end of the transaction that stores (or
 * queues again) the documents, under a per-tenant lock held until it commits, so the state it
 * measures includes every committed request and its own: two concurrent requests cannot both pass
 * a cap, and a refused one rolls back, storing nothing.
 */
@Injectable()
export class TenantQuotas {
  private readonly caps: QuotaConfig;

  constructor(
    private readonly documents: DocumentsRepository,
    config: AppConfigService,
  ) {
    this.caps = config.get('quotas');
  }

  async assertWithin(tx: TenantTransaction, tenantId: string, change: QuotaChange): Promise<void> {
    const { maxPendingDocuments, maxStoredBytes, uploadsPerMinute } = this.caps;
    const perMinute = change.uploads ? uploadsPerMinute : 0;
    if (maxPendingDocuments === 0 && maxStoredBytes === 0 && perMinute === 0) return;
    await lockTenant(tx, tenantId, 'quotas');
    const usage = await this.documents.quotaUsage(tx, tenantId);

    if (maxStoredBytes > 0 && usage.storedBytes > maxStoredBytes) {
      const before = usage.storedBytes - change.bytes;
      throw new AppError(
        'payload_too_large',
        `Storage quota exceeded: this tenant stores ${formatBytes(before)} of its ${formatBytes(maxStoredBytes)}, and these sources add ` +
          `${formatBytes(change.bytes)}. Delete entries to make room.`,
      );
    }
    if (maxPendingDocuments > 0 && usage.pending > maxPendingDocuments) {
      if (change.documents > maxPendingDocuments) {
        throw new AppError('unprocessable', `A request may queue at most ${maxPendingDocuments} documents (it has ${change.documents}).`);
      }
      throw new AppError(
        'too_many_requests',
        `Too many documents waiting: this tenant has ${usage.pending - change.documents} queued or processing, and may have ` +
          `${maxPendingDocuments}. Try again once some have finished.`,
        undefined,
        PENDING_RETRY_AFTER_SECONDS,
      );
    }
    if (perMinute > 0 && usage.addedLastMinute > perMinute) {
      if (change.documents > perMinute) {
        throw new AppError('unprocessable', `A request may add at most ${perMinute} documents (it has ${change.documents}).`);
      }
      throw new AppError(
        'too_many_requests',
        `Upload rate exceeded: this tenant may add ${perMinute} documents per minute.`,
        undefined,
        await this.documents.secondsUntilRecentAtMost(tx, tenantId, perMinute),
      );
    }
  }
}
