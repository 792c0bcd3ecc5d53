import { DatePipe } from '@angular/common';
import { ChangeDetectionStrategy, Component, DestroyRef, InjectionToken, effect, inject, input, signal, untracked } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatPaginatorModule, type PageEvent } from '@angular/material/paginator';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { Router, RouterLink } from '@angular/router';
import { ACCEPTED_FILE_EXTENSIONS, type Chunk, type KnowledgeDocument, type KnowledgeEntryDetail } from '@business-brain/contract';
import { firstValueFrom, map, type Observable } from 'rxjs';

import { readableError } from '../core/api/api-error';
import { KnowledgeApi, type UploadEvent } from '../core/api/knowledge-api';
import { StreamRequestError } from '../core/api/fetch-events';
import { KnowledgeStreams } from '../core/api/knowledge-streams';
import { VocabularyStore } from '../core/api/vocabulary-store';
import { BackendStatus } from '../core/feedback/backend-status';
import { Toasts } from '../core/feedback/toasts';
import { checkFiles } from '../knowledge/file-checks';
import { isSettled, failureReason } from '../knowledge/entry-progress';
import { ConfirmDialog, type ConfirmData } from '../shared/confirm-dialog';
import { formatBytes, formatPages, isHttpUrl } from '../shared/format';
import { MetadataFields } from '../shared/metadata-fields';
import { metadataForm, metadataValue } from '../shared/metadata-form';
import { StatusBadge } from '../shared/status-badge';

export const CHUNK_PAGE_SIZE = 10;
/** How often the entry is read while in flight when the server refuses a status stream (429), ms. */
export const STATUS_POLL_MS = new InjectionToken<number>('STATUS_POLL_MS', { providedIn: 'root', factory: () => 3000 });

/** Resolves after `ms`, or at once when `signal` aborts. */
const delay = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/** One entry: its documents and their live status, a preview of its chunks, its metadata, its sources. */
@Component({
  selector: 'bb-entry-detail-page',
  imports: [
    DatePipe,
    ReactiveFormsModule,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatPaginatorModule,
    MatProgressBarModule,
    MetadataFields,
    StatusBadge,
  ],
  templateUrl: './entry-detail-page.html',
  styleUrl: './entry-detail-page.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class EntryDetailPage {
  readonly tenant = input.required<string>();
  readonly id = input.required<string>();
  /** From a citation: the document, chunk position and page to open at. */
  readonly document = input<string>();
  readonly chunk = input<string>();
  readonly page = input<string>();

  private readonly api = inject(KnowledgeApi);
  private readonly streams = inject(KnowledgeStreams);
  private readonly toasts = inject(Toasts);
  private readonly dialog = inject(MatDialog);
  private readonly router = inject(Router);
  private readonly destroyRef = inject(DestroyRef);
  private readonly statusPollMs = inject(STATUS_POLL_MS);
  protected readonly vocabulary = inject(VocabularyStore).vocabulary;
  protected readonly accept = ACCEPTED_FILE_EXTENSIONS.join(',');
  protected readonly formatBytes = formatBytes;
  protected readonly pages = formatPages;
  protected readonly reasonOf = failureReason;

  protected readonly entry = signal<KnowledgeEntryDetail | null>(null);
  protected readonly loadError = signal<string | null>(null);
  protected readonly notFound = signal(false);
  /** Deleted while shown, as the status stream or a poll found. */
  protected readonly deleted = signal(false);

  protected readonly chunks = signal<Chunk[]>([]);
  protected readonly chunkTotal = signal(0);
  protected readonly chunkOffset = signal(0);
  protected readonly chunkDocument = signal<string | null>(null);
  protected readonly highlighted = signal<number | null>(null);

  protected readonly editing = signal(false);
  protected readonly metadata = metadataForm();
  protected readonly saveError = signal<string | null>(null);
  protected readonly saving = signal(false);

  protected readonly addUrl = new FormControl('', { nonNullable: true });
  protected readonly addText = new FormControl('', { nonNullable: true });
  protected readonly addError = signal<string | null>(null);
  protected readonly adding = signal(false);
  protected readonly uploadProgress = signal<number | null>(null);

  private statusStream: AbortController | null = null;

  constructor() {
    inject(VocabularyStore).load();
    effect(() => {
      const [tenant, id, document, chunk, page] = [this.tenant(), this.id(), this.document(), this.chunk(), this.page()];
      untracked(() => void this.open(tenant, id, document ?? null, chunk === undefined ? null : Number(chunk), page === undefined ? null : Number(page)));
    });
    inject(BackendStatus).recovered.pipe(takeUntilDestroyed()).subscribe(() => void this.open(this.tenant(), this.id(), null, null, null));
    this.destroyRef.onDestroy(() => this.statusStream?.abort());
  }

  private async open(tenant: string, id: string, document: string | null, chunk: number | null, page: number | null): Promise<void> {
    this.loadError.set(null);
    try {
      const entry = await firstValueFrom(this.api.get(tenant, id));
      this.entry.set(entry);
      this.notFound.set(false);
      this.deleted.set(false);
      this.follow(entry);
      this.chunkDocument.set(document);
      this.highlighted.set(chunk);
      if (chunk !== null && document !== null) await this.loadChunks(Math.floor(chunk / CHUNK_PAGE_SIZE) * CHUNK_PAGE_SIZE);
      else if (page !== null && document !== null) await this.locatePage(page);
      else await this.loadChunks(0);
    } catch (error) {
      const problem = readableError(error);
      this.notFound.set(problem.status === 404);
      this.loadError.set(problem.message);
    }
  }

  /**
   * Follows the entry's status stream while documents are in flight, then reloads the chunks. When
   * the server has no stream to spare (429), it asks for the entry every few seconds instead.
   */
  private follow(entry: KnowledgeEntryDetail): void {
    this.statusStream?.abort();
    if (isSettled(entry.status)) return;
    const controller = new AbortController();
    this.statusStream = controller;
    void (async () => {
      try {
        for await (const update of this.streams.status(this.tenant(), entry.id, controller.signal)) {
          if (update.event === 'deleted') return this.showDeleted();
          this.entry.set(update.entry);
        }
        if (!controller.signal.aborted) await this.loadChunks(this.chunkOffset());
      } catch (error) {
        if (controller.signal.aborted) return;
        if (error instanceof StreamRequestError && error.status === 429) await this.poll(entry.id, controller.signal);
        else this.loadError.set(readableError(error).message);
      }
    })();
  }

  /** Reads the entry every STATUS_POLL_MS until it has settled (or is gone, or the page is left). */
  private async poll(id: string, signal: AbortSignal): Promise<void> {
    for (;;) {
      await delay(this.statusPollMs, signal);
      if (signal.aborted) return;
      try {
        const entry = await firstValueFrom(this.api.get(this.tenant(), id));
        if (signal.aborted) return;
        this.entry.set(entry);
        if (isSettled(entry.status)) return this.loadChunks(this.chunkOffset());
      } catch (error) {
        if (signal.aborted) return;
        const problem = readableError(error);
        if (problem.status === 404) return this.showDeleted();
        return this.loadError.set(problem.message);
      }
    }
  }

  /** The entry was deleted while the page showed it (from another tab or by someone else). */
  private showDeleted(): void {
    this.entry.set(null);
    this.notFound.set(true);
    this.deleted.set(true);
    this.loadError.set('This entry was deleted.');
  }

  protected async loadChunks(offset: number): Promise<void> {
    const document = this.chunkDocument();
    const page = await firstValueFrom(
      this.api.chunks(this.tenant(), this.id(), { limit: CHUNK_PAGE_SIZE, offset, ...(document ? { document_id: document } : {}) }),
    );
    this.chunks.set(page.chunks);
    this.chunkTotal.set(page.total_count);
    this.chunkOffset.set(offset);
  }

  /** Finds the first chunk of the cited document that covers `page`, and shows its page of the preview. */
  private async locatePage(page: number): Promise<void> {
    const document = this.chunkDocument() ?? undefined;
    for (let offset = 0; ; offset += 100) {
      const batch = await firstValueFrom(this.api.chunks(this.tenant(), this.id(), { limit: 100, offset, document_id: document }));
      const hit = batch.chunks.find((c) => c.page_number !== null && (c.page_end ?? c.page_number) >= page && c.page_number <= page);
      if (hit) {
        this.highlighted.set(hit.position);
        return this.loadChunks(Math.floor(hit.position / CHUNK_PAGE_SIZE) * CHUNK_PAGE_SIZE);
      }
      if (offset + 100 >= batch.total_count) return this.loadChunks(0);
    }
  }

  protected onChunkPage(event: PageEvent): void {
    void this.loadChunks(event.pageIndex * CHUNK_PAGE_SIZE).catch((error: unknown) => this.toasts.error(readableError(error).message));
  }

  protected showDocument(document: string | null): void {
    this.chunkDocument.set(document);
    this.highlighted.set(null);
    void this.loadChunks(0).catch((error: unknown) => this.toasts.error(readableError(error).message));
  }

  protected documentName(document: KnowledgeDocument): string {
    return document.filename ?? document.source_url ?? 'Pasted text';
  }

  protected startEdit(): void {
    const entry = this.entry();
    if (!entry) return;
    this.metadata.reset({ title: entry.title, type: entry.type as never, intent: entry.intent as never, tags: entry.tags });
    this.saveError.set(null);
    this.editing.set(true);
  }

  protected saveEdit(): void {
    this.metadata.markAllAsTouched();
    if (this.metadata.invalid) return;
    this.saving.set(true);
    this.api.update(this.tenant(), this.id(), metadataValue(this.metadata)).subscribe({
      next: (entry) => {
        this.entry.set(entry);
        this.editing.set(false);
        this.saving.set(false);
        this.toasts.success('Changes saved.');
      },
      error: (error: unknown) => {
        this.saving.set(false);
        this.saveError.set(readableError(error).message);
      },
    });
  }

  protected addFiles(input: HTMLInputElement): void {
    const check = checkFiles(Array.from(input.files ?? []), [], this.vocabulary());
    input.value = '';
    if (check.problems.length > 0) {
      this.addError.set(check.problems.join(' '));
      return;
    }
    if (check.accepted.length === 0) return;
    this.uploadProgress.set(0);
    this.addSources(this.api.addFiles(this.tenant(), this.id(), check.accepted));
  }

  protected addUrlOrText(kind: 'url' | 'text'): void {
    const url = this.addUrl.value.trim();
    const text = this.addText.value;
    if (kind === 'url' && !isHttpUrl(url)) {
      this.addError.set('Enter a valid web address starting with http:// or https://.');
      return;
    }
    if (kind === 'text' && text.trim() === '') {
      this.addError.set('Paste or write some text.');
      return;
    }
    this.addSources(this.api.addSources(this.tenant(), this.id(), kind === 'url' ? { url } : { text }).pipe(map((body) => ({ kind: 'done' as const, body }))));
  }

  private addSources(request: Observable<UploadEvent<KnowledgeEntryDetail>>): void {
    this.addError.set(null);
    this.adding.set(true);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (event) => {
        if (event.kind === 'progress') {
          this.uploadProgress.set(event.total ? Math.floor((event.loaded / event.total) * 100) : 0);
          return;
        }
        this.adding.set(false);
        this.uploadProgress.set(null);
        this.addUrl.reset();
        this.addText.reset();
        this.entry.set(event.body);
        this.follow(event.body);
        this.toasts.success('Source added. It is being processed.');
      },
      error: (error: unknown) => {
        this.adding.set(false);
        this.uploadProgress.set(null);
        this.addError.set(readableError(error).message);
      },
    });
  }

  private confirm(data: ConfirmData): Promise<boolean> {
    return firstValueFrom(
      this.dialog
        .open<ConfirmDialog, ConfirmData, boolean>(ConfirmDialog, { data, width: '28rem' })
        .afterClosed()
        .pipe(map((v) => v === true)),
    );
  }

  protected async removeDocument(document: KnowledgeDocument): Promise<void> {
    const name = this.documentName(document);
    if (!(await this.confirm({ title: 'Remove source?', message: `Remove “${name}” and its chunks from this entry? This cannot be undone.`, confirm: 'Remove' }))) return;
    try {
      await firstValueFrom(this.api.removeDocument(this.tenant(), this.id(), document.id));
      this.toasts.success(`Removed “${name}”.`);
      if (this.chunkDocument() === document.id) this.chunkDocument.set(null);
      await this.open(this.tenant(), this.id(), null, null, null);
    } catch (error) {
      this.toasts.error(readableError(error).message);
    }
  }

  protected async deleteEntry(): Promise<void> {
    const entry = this.entry();
    if (!entry) return;
    if (!(await this.confirm({ title: 'Delete entry?', message: `Delete “${entry.title}” with all its sources, chunks and embeddings? This cannot be undone.`, confirm: 'Delete' }))) return;
    try {
      await firstValueFrom(this.api.delete(this.tenant(), entry.id));
      this.toasts.success(`Deleted “${entry.title}”.`);
      await this.router.navigate(['/', this.tenant(), 'context-builder']);
    } catch (error) {
      this.toasts.error(readableError(error).message);
    }
  }

  protected async retry(): Promise<void> {
    try {
      const result = await firstValueFrom(this.api.retry(this.tenant(), this.id()));
      this.entry.set(result);
      this.follow(result);
      this.toasts.success(`Retrying ${result.requeued} document${result.requeued === 1 ? '' : 's'}.`);
    } catch (error) {
      this.toasts.error(readableError(error).message);
    }
  }
}
