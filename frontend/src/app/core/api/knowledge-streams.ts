import { Injectable, inject } from '@angular/core';
import type { AnswerEvent, AnswerRequest, KnowledgeEntryDetail } from '@business-brain/contract';

import { AuthSession } from '../auth/auth-session';
import { fetchEvents } from './fetch-events';
import { KnowledgeApi } from './knowledge-api';

const ANSWER_EVENTS = new Set(['context', 'delta', 'citations', 'done', 'error']);

/** What an entry's status stream reports: the entry as it now is, or that it was deleted (the stream's last event). */
export type EntryStatusEvent = { event: 'status'; entry: KnowledgeEntryDetail } | { event: 'deleted' };

/** The API's two event streams: an answer as it is written, and an entry's processing status. */
@Injectable({ providedIn: 'root' })
export class KnowledgeStreams {
  private readonly api = inject(KnowledgeApi);
  private readonly session = inject(AuthSession);

  private async authorization(): Promise<Record<string, string>> {
    const token = await this.session.token();
    return token ? { Authorization: `Bearer ${token}` } : {};
  }

  /** POST .../answer; aborting the signal ends the request, and the server stops the model. */
  async *answer(tenant: string, request: AnswerRequest, signal: AbortSignal): AsyncGenerator<AnswerEvent> {
    const init: RequestInit = {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(await this.authorization()) },
      body: JSON.stringify(request),
    };
    for await (const event of fetchEvents(this.api.answerUrl(tenant), init, signal)) {
      if (ANSWER_EVENTS.has(event.event)) yield { event: event.event, data: JSON.parse(event.data) as unknown } as AnswerEvent;
    }
  }

  /**
   * GET .../{id}/events: the entry each time its status changes, until every document has settled
   * or the entry is deleted. Refused (429 when the server follows as many streams as it allows), it
   * throws a `StreamRequestError` with the status.
   */
  async *status(tenant: string, id: string, signal: AbortSignal): AsyncGenerator<EntryStatusEvent> {
    const init: RequestInit = { headers: await this.authorization() };
    for await (const event of fetchEvents(this.api.eventsUrl(tenant, id), init, signal)) {
      if (event.event === 'status') yield { event: 'status', entry: JSON.parse(event.data) as KnowledgeEntryDetail };
      else if (event.event === 'deleted') {
        yield { event: 'deleted' };
        return;
      }
    }
  }
}
