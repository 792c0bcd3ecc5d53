import { Module } from '@nestjs/common';

import { DocumentLifecycle } from './document-lifecycle.service.js';
import { DocumentsRepository } from './documents.repository.js';
import { KnowledgeBasesRepository } from './knowledge-bases.repository.js';

/**
 * Knowledge entries (`knowledge_bases`) and their documents (`documents`): the one writer of each
 * table, and the lifecycle that keeps an entry's status in step with its documents. Used by the
 * knowledge API and by ingestion; depends on neither.
 */
@Module({
  providers: [KnowledgeBasesRepository, DocumentsRepository, DocumentLifecycle],
  exports: [KnowledgeBasesRepository, DocumentsRepository, DocumentLifecycle],
})
export class DocumentsModule {}
