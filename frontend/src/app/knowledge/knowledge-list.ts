import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatSelectModule } from '@angular/material/select';
import { RouterLink } from '@angular/router';
import { ENTRY_STATUSES, normaliseTag, type KnowledgeEntry, type KnowledgeEntryDetail, type KnowledgeIndexQuery } from '@business-brain/contract';
import { debounceTime, forkJoin, of, catchError, type Subscription } from 'rxjs';

import { readableError } from '../core/api/api-error';
import { KnowledgeApi } from '../core/api/knowledge-api';
import { VocabularyStore } from '../core/api/vocabulary-store';
import { BackendStatus } from '../core/feedback/backend-status';
import { Toasts } from '../core/feedback/toasts';
import { StatusBadge } from '../shared/status-badge';
import { entryProgress, failureReason, isSettled } from './entry-progress';

/** How often the list is reloaded while an entry on it is still being processed. */
export const LIVE_REFRESH_MS = 1500;

interface Row {
  entry: KnowledgeEntry;
  detail: KnowledgeEntryDetail | null;
}

/** The tenant's entries, filtered and paged, with live processing status and Retry for failures. */
@Component({
  selector: 'bb-knowledge-list',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    MatPaginatorModule,
    MatProgressBarModule,
    StatusBadge,
  ],
  templateUrl: './knowledge-list.html',
  styleUrl: './knowledge-list.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class KnowledgeList {
  readonly tenant = input.required<string>();
  /** Bumped by the parent when an entry was created, to reload now. */
  readonly reloadToken = input(0);

  private readonly api = inject(KnowledgeApi);
  private readonly toasts = inject(Toasts);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly vocabulary = inject(VocabularyStore).vocabulary;
  protected readonly statuses = ENTRY_STATUSES;
  protected readonly progressOf = entryProgress;
  protected readonly reasonOf = failureReason;

  protected readonly filters = new FormGroup({
    q: new FormControl('', { nonNullable: true }),
    type: new FormControl('', { nonNullable: true }),
    intent: new FormControl('', { nonNullable: true }),
    tag: new FormControl('', { nonNullable: true }),
    status: new FormControl('', { nonNullable: true }),
  });

  protected readonly rows = signal<Row[]>([]);
  protected readonly total = signal(0);
  protected readonly pageSize = signal(10);
  protected readonly pageIndex = signal(0);
  protected readonly loading = signal(true);
  protected readonly loaded = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly retrying = signal<ReadonlySet<string>>(new Set());

  private request: Subscription | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    effect(() => {
      this.tenant();
      this.reloadToken();
      untracked(() => this.load());
    });
    this.filters.valueChanges.pipe(debounceTime(250), takeUntilDestroyed()).subscribe(() => {
      this.pageIndex.set(0);
      this.load();
    });
    inject(BackendStatus).recovered.pipe(takeUntilDestroyed()).subscribe(() => this.load());
    this.destroyRef.onDestroy(() => this.stopTimer());
  }

  protected onPage(event: PageEvent): void {
    this.pageIndex.set(event.pageIndex);
    this.pageSize.set(event.pageSize);
    this.load();
  }

  protected clearFilters(): void {
    this.filters.reset();
  }

  protected retry(entry: KnowledgeEntry): void {
    this.retrying.update((ids) => new Set([...ids, entry.id]));
    this.api.retry(this.tenant(), entry.id).subscribe({
      next: (result) => {
        this.toasts.success(`Retrying ${result.requeued} document${result.requeued === 1 ? '' : 's'} of “${entry.title}”.`);
        this.done(entry.id);
        this.load();
      },
      error: (error: unknown) => {
        this.toasts.error(readableError(error).message);
        this.done(entry.id);
      },
    });
  }

  private done(id: string): void {
    this.retrying.update((ids) => new Set([...ids].filter((i) => i !== id)));
  }

  private query(): KnowledgeIndexQuery {
    const f = this.filters.getRawValue();
    return {
      limit: this.pageSize(),
      offset: this.pageIndex() * this.pageSize(),
      q: f.q.trim() || undefined,
      type: f.type || undefined,
      intent: f.intent || undefined,
      tag: normaliseTag(f.tag) || undefined,
      status: f.status || undefined,
    };
  }

  /** Loads the page, then the details (progress, failure reason) of entries not settled as ready. */
  private load(): void {
    this.stopTimer();
    this.request?.unsubscribe();
    this.loading.set(true);
    const tenant = this.tenant();
    this.request = this.api.index(tenant, this.query()).subscribe({
      next: (page) => {
        this.total.set(page.total_count);
        const needDetail = page.entries.filter((e) => e.status !== 'ready');
        const details = needDetail.map((e) => this.api.get(tenant, e.id).pipe(catchError(() => of(null))));
        this.request = (details.length ? forkJoin(details) : of([])).subscribe((found) => {
          const byId = new Map(found.filter((d): d is KnowledgeEntryDetail => d !== null).map((d) => [d.id, d]));
          this.rows.set(page.entries.map((entry) => ({ entry: byId.get(entry.id) ?? entry, detail: byId.get(entry.id) ?? null })));
          this.loading.set(false);
          this.loaded.set(true);
          this.error.set(null);
          if (this.rows().some((row) => !isSettled(row.entry.status))) this.timer = setTimeout(() => this.load(), LIVE_REFRESH_MS);
        });
      },
      error: (error: unknown) => {
        this.loading.set(false);
        this.error.set(readableError(error).message);
      },
    });
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}
