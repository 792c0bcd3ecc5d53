import { Injectable } from '@nestjs/common';
import { defer, distinctUntilChanged, map, repeat, takeWhile, timer, type Observable, takeUntil } from 'rxjs';

import type { KnowledgeEntryDetailDto } from './dto/knowledge-entry.dto.js';
import { KnowledgeService } from './knowledge.service.js';

const POLL_MS = 500;
const MAX_STREAM_MS = 15 * 60_000;
const SETTLED = new Set(['ready', 'failed', 'partial']);

export interface StatusMessage {
  data: KnowledgeEntryDetailDto;
  type: 'status';
}

/**
 * Live status for the UI as server-sent events: the entry is read every 500 ms (an indexed
 * lookup) and sent only when it changed; the stream ends once every document has settled. Reading
 * the database rather than an in-process signal keeps it right with several API instances.
 */
@Injectable()
export class KnowledgeStatusService {
  constructor(private readonly knowledge: KnowledgeService) {}

  async stream(tenantId: string, id: string): Promise<Observable<StatusMessage>> {
    await this.knowledge.get(tenantId, id); // 404 before the stream opens
    return defer(() => this.knowledge.get(tenantId, id)).pipe(
      repeat({ delay: POLL_MS }),
      map((entry) => ({ entry, key: JSON.stringify(entry) })),
      distinctUntilChanged((a, b) => a.key === b.key),
      takeWhile(({ entry }) => !SETTLED.has(entry.status), true),
      takeUntil(timer(MAX_STREAM_MS)),
      map(({ entry }) => ({ type: 'status' as const, data: entry })),
    );
  }
}
