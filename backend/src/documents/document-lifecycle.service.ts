import { Injectable } from '@nestjs/common';

import { AppError } from '../common/errors/app-error.js';
import type { TenantTransaction } from '../database/tenant-database.js';
import type { DocumentToProcess, ReadyDocument } from './document-rows.js';
import { DocumentsRepository } from './documents.repository.js';
import { KnowledgeBasesRepository } from './knowledge-bases.repository.js';
import type { NewSource } from './new-source.js';

/**
 * Every change of a document's presence or status, with its entry's status following in the
 * same transaction: this class is the only caller of `KnowledgeBasesRepository.refreshStatus`,
 * so no path can change a document and leave its entry showing something else.
 */
@Injectable()
export class DocumentLifecycle {
  constructor(
    private readonly documents: DocumentsRepository,
    private readonly entries: KnowledgeBasesRepository,
  ) {}

  /** Adds sources to an entry as queued documents. A source the tenant already holds (or sent twice) is a 409. */
  async add(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string, sources: readonly NewSource[]): Promise<string[]> {
    const hashes = sources.map((s) => s.contentHash);
    const repeated = sources.find((s, i) => hashes.indexOf(s.contentHash) !== i);
    if (repeated) throw new AppError('conflict', `The same source was sent twice in this request (${describeSource(repeated)})`);
    const existing = await this.documents.findDuplicate(tx, tenantId, hashes);
    if (existing) {
      const source = sources.find((s) => s.contentHash === existing.contentHash);
      throw new AppError(
        'conflict',
        `Duplicate source: ${source ? describeSource(source) : 'this source'} is already in knowledge entry ${existing.knowledgeBaseId} ("${existing.title}")`,
        { existingEntryId: existing.knowledgeBaseId },
      );
    }
    const ids: string[] = [];
    for (const source of sources) ids.push(await this.documents.insert(tx, tenantId, knowledgeBaseId, source));
    await this.entryFollows(tx, tenantId, knowledgeBaseId);
    return ids;
  }

  /** False when the entry holds no such document. */
  async remove(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string, documentId: string): Promise<boolean> {
    if (!(await this.documents.delete(tx, tenantId, knowledgeBaseId, documentId))) return false;
    await this.entryFollows(tx, tenantId, knowledgeBaseId);
    return true;
  }

  /** Shows the entry's failed documents as queued again; answers their ids. */
  async requeueFailed(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string): Promise<string[]> {
    const ids = await this.documents.idsWithStatus(tx, tenantId, knowledgeBaseId, 'failed');
    await this.documents.requeue(tx, tenantId, ids);
    await this.entryFollows(tx, tenantId, knowledgeBaseId);
    return ids;
  }

  /**
   * Loads a document for processing and shows it as processing at its first stage (`fetching` for
   * a URL, else `extracting`). Null when it was removed meanwhile.
   */
  async start(tx: TenantTransaction, tenantId: string, documentId: string): Promise<DocumentToProcess | null> {
    const doc = await this.documents.findForProcessing(tx, tenantId, documentId);
    if (!doc) return null;
    const [stage, progress] = doc.sourceKind === 'url' ? ['fetching', 2] : ['extracting', 10];
    await this.documents.setStage(tx, tenantId, documentId, stage, progress);
    if (doc.status !== 'processing') await this.entryFollows(tx, tenantId, doc.knowledgeBaseId);
    const { status: _status, ...toProcess } = doc;
    return toProcess;
  }

  /** Moves a started document (already processing, see `start`) to another stage: its entry's status does not change. */
  async advance(tx: TenantTransaction, tenantId: string, documentId: string, stage: string, progress: number): Promise<void> {
    await this.documents.setStage(tx, tenantId, documentId, stage, progress);
  }

  async markReady(tx: TenantTransaction, tenantId: string, documentId: string, ready: ReadyDocument): Promise<void> {
    await this.entryFollows(tx, tenantId, await this.documents.markReady(tx, tenantId, documentId, ready));
  }

  async markFailed(tx: TenantTransaction, tenantId: string, documentId: string, message: string): Promise<void> {
    await this.entryFollows(tx, tenantId, await this.documents.markFailed(tx, tenantId, documentId, message));
  }

  /** Shows the document as waiting for another attempt, with the reason. */
  async markRetrying(tx: TenantTransaction, tenantId: string, documentId: string, message: string): Promise<void> {
    await this.entryFollows(tx, tenantId, await this.documents.markRetrying(tx, tenantId, documentId, message));
  }

  private async entryFollows(tx: TenantTransaction, tenantId: string, knowledgeBaseId: string | null): Promise<void> {
    if (knowledgeBaseId !== null) await this.entries.refreshStatus(tx, tenantId, knowledgeBaseId);
  }
}

const describeSource = (source: NewSource): string =>
  source.kind === 'file' ? `file "${source.filename ?? 'upload'}"` : source.kind === 'url' ? `URL ${source.sourceUrl ?? ''}` : 'this text';
