import { Injectable } from '@nestjs/common';

import type { KnowledgeEntryDto, KnowledgeIndexResponseDto } from './dto/knowledge-entry.dto.js';
import type { ListKnowledgeQueryDto } from './dto/list-knowledge.query.js';
import { KnowledgeRepository, type KnowledgeEntryRow } from './knowledge.repository.js';

const toEntryDto = (row: KnowledgeEntryRow): KnowledgeEntryDto => ({
  id: row.id,
  title: row.title,
  type: row.type,
  intent: row.intent,
  tags: row.tags,
  status: row.status,
  document_count: row.documentCount,
  chunk_count: row.chunkCount,
  created_at: row.createdAt.toISOString(),
  updated_at: row.updatedAt.toISOString(),
});

@Injectable()
export class KnowledgeService {
  constructor(private readonly knowledge: KnowledgeRepository) {}

  async index(tenantId: string, query: ListKnowledgeQueryDto): Promise<KnowledgeIndexResponseDto> {
    const { rows, total } = await this.knowledge.list(tenantId, { limit: query.limit, offset: query.offset });
    return { entries: rows.map(toEntryDto), total_count: total };
  }
}
