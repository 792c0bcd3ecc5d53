import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';

import { outsideRequest } from '../common/logging/request-context.js';
import { AppConfigService } from '../config/app-config.service.js';
import type { KnowledgeEntryDetailDto } from './dto/knowledge-entry.dto.js';
import { KnowledgeService } from './knowledge.service.js';

/** What a status stream hears at each tick: the entry as it is now (with its JSON, to compare), that it is gone, or that the process is stopping. */
export type EntryChange = { kind: 'status'; entry: KnowledgeEntryDetailDto; key: string } | { kind: 'deleted' } | { kind: 'end' };

export type EntryListener = (change: EntryChange) => void;

const errorMessage = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * One poller per process for every open status stream. Each stream used to read its entry every
 * 500 ms on its own (two to four statements, a transaction each time), so 500 open streams were
 * 1,000 transactions a second and slowed every other tenant's requests. Now each tick reads, for
 * each tenant with open streams, all of that tenant's followed entries in one tenant transaction
 * (a fixed number of statements whatever the number of streams or entries: `getMany`), one tenant
 * after another on one connection, and hands each entry to all the streams following it.
 *
 * Why polling and not LISTEN/NOTIFY: the database stays the one source of truth, so a change
 * written by any process (another API instance's worker) reaches the streams of every process;
 * it works the same on PostgreSQL and on PGlite (whose connection lives in its own thread behind
 * the service's own protocol), needs no connection held outside the pool, and misses nothing when
 * a notification would have been lost (reconnects, a crashed listener). Its cost is bounded by the
 * tenants with open streams per tick, which `StatusStreamSlots` bounds in turn.
 */
@Injectable()
export class EntryStatusPoller implements OnModuleDestroy {
  private readonly logger = new Logger('EntryStatusPoller');
  private readonly pollMs: number;
  /** tenant id → entry id → the streams following it */
  private readonly watched = new Map<string, Map<string, Set<EntryListener>>>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private tickWaiters: { ticks: number; resolve: () => void }[] = [];
  /** Ticks run, and the tenant transactions they made (one per tenant with open streams per tick). */
  readonly stats = { ticks: 0, tenantReads: 0 };

  constructor(
    private readonly knowledge: KnowledgeService,
    config: AppConfigService,
  ) {
    this.pollMs = config.get('statusStreams').pollMs;
  }

  /** Follows an entry until the returned function is called. */
  watch(tenantId: string, entryId: string, listener: EntryListener): () => void {
    let entries = this.watched.get(tenantId);
    if (!entries) this.watched.set(tenantId, (entries = new Map<string, Set<EntryListener>>()));
    let listeners = entries.get(entryId);
    if (!listeners) entries.set(entryId, (listeners = new Set<EntryListener>()));
    listeners.add(listener);
    this.schedule();
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      if (entries.get(entryId) === listeners) entries.delete(entryId);
      if (entries.size === 0 && this.watched.get(tenantId) === entries) this.watched.delete(tenantId);
    };
  }

  /** Resolves once `ticks` more ticks have completed (for tests and benchmarks). */
  afterTicks(ticks: number): Promise<void> {
    return new Promise((resolve) => this.tickWaiters.push({ ticks: this.stats.ticks + ticks, resolve }));
  }

  onModuleDestroy(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // end the streams now: an open response would hold the HTTP server's close until its timeout
    for (const entries of [...this.watched.values()]) {
      for (const listeners of [...entries.values()]) for (const listener of [...listeners]) listener({ kind: 'end' });
    }
    this.watched.clear();
  }

  private schedule(): void {
    if (this.timer || this.stopped || this.watched.size === 0) return;
    // the first stream's request starts the timer: its ticks must not log as that request
    this.timer = outsideRequest(() => setTimeout(() => void this.tick(), this.pollMs));
  }

  private async tick(): Promise<void> {
    try {
      for (const [tenantId, entries] of [...this.watched]) {
        if (this.stopped) return;
        await this.readTenant(tenantId, entries);
      }
    } finally {
      this.stats.ticks++;
      const due = this.tickWaiters.filter((w) => w.ticks <= this.stats.ticks);
      this.tickWaiters = this.tickWaiters.filter((w) => w.ticks > this.stats.ticks);
      for (const waiter of due) waiter.resolve();
      this.timer = null;
      this.schedule();
    }
  }

  private async readTenant(tenantId: string, entries: Map<string, Set<EntryListener>>): Promise<void> {
    const ids = [...entries.keys()];
    if (ids.length === 0) return;
    this.stats.tenantReads++;
    let found: Map<string, KnowledgeEntryDetailDto>;
    try {
      found = await this.knowledge.getMany(tenantId, ids);
    } catch (error) {
      // the streams stay open and the next tick reads again
      if (!this.stopped) this.logger.warn(`reading ${ids.length} followed entries of tenant ${tenantId} failed: ${errorMessage(error)}`);
      return;
    }
    for (const id of ids) {
      const listeners = entries.get(id);
      if (!listeners) continue;
      const entry = found.get(id);
      const change: EntryChange = entry ? { kind: 'status', entry, key: JSON.stringify(entry) } : { kind: 'deleted' };
      for (const listener of [...listeners]) listener(change);
    }
  }
}
