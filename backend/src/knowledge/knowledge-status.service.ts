import { Injectable } from '@nestjs/common';
import { Observable } from 'rxjs';

import type { KnowledgeEntryDetailDto } from './dto/knowledge-entry.dto.js';
import { EntryStatusPoller } from './entry-status-poller.js';
import { KnowledgeService } from './knowledge.service.js';
import { StatusStreamSlots } from './status-stream-slots.js';

const MAX_STREAM_MS = 15 * 60_000;
const SETTLED = new Set(['ready', 'failed', 'partial']);

/** The events of a status stream: the entry whenever it changed, or that it was deleted (the last event). */
export type StatusMessage = { type: 'status'; data: KnowledgeEntryDetailDto } | { type: 'deleted'; data: { id: string } };

/**
 * Live status for the UI as server-sent events: the entry as it is when the stream opens, then
 * each time it changed, read by the process's one `EntryStatusPoller`; the stream ends once every
 * document has settled, when the entry is deleted (`event: deleted`), or after 15 minutes. Open
 * streams are bounded per tenant and in all (`StatusStreamSlots`: 429 past a bound).
 */
@Injectable()
export class KnowledgeStatusService {
  constructor(
    private readonly knowledge: KnowledgeService,
    private readonly poller: EntryStatusPoller,
    private readonly slots: StatusStreamSlots,
  ) {}

  async stream(tenantId: string, id: string): Promise<Observable<StatusMessage>> {
    this.slots.assertRoom(tenantId); // 429 before any database work
    const first = await this.knowledge.get(tenantId, id); // 404 before the stream opens
    return new Observable<StatusMessage>((subscriber) => {
      // the slot is taken here, for exactly as long as the stream is followed; a 429 thrown now
      // still reaches the exception filter, as no header has been sent yet
      const release = this.slots.acquire(tenantId);
      let lastKey = JSON.stringify(first);
      subscriber.next({ type: 'status', data: first });
      if (SETTLED.has(first.status)) {
        subscriber.complete();
        return release;
      }
      const unwatch = this.poller.watch(tenantId, first.id, (change) => {
        if (change.kind === 'end') return subscriber.complete();
        if (change.kind === 'deleted') {
          subscriber.next({ type: 'deleted', data: { id: first.id } });
          return subscriber.complete();
        }
        if (change.key === lastKey) return;
        lastKey = change.key;
        subscriber.next({ type: 'status', data: change.entry });
        if (SETTLED.has(change.entry.status)) subscriber.complete();
      });
      const expiry = setTimeout(() => subscriber.complete(), MAX_STREAM_MS);
      return () => {
        clearTimeout(expiry);
        unwatch();
        release();
      };
    });
  }
}
