import { ChangeDetectionStrategy, Component, DestroyRef, computed, inject, input, output, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { FormControl, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { MatTabsModule } from '@angular/material/tabs';
import { ACCEPTED_FILE_EXTENSIONS, URL_MAX_LENGTH, type KnowledgeEntryDetail } from '@business-brain/contract';
import { map, type Observable } from 'rxjs';

import { readableError } from '../core/api/api-error';
import { KnowledgeApi, type UploadEvent } from '../core/api/knowledge-api';
import { VocabularyStore } from '../core/api/vocabulary-store';
import { Toasts } from '../core/feedback/toasts';
import { formatBytes, isHttpUrl } from '../shared/format';
import { MetadataFields } from '../shared/metadata-fields';
import { metadataForm, metadataValue } from '../shared/metadata-form';
import { checkFiles, perFileProgress } from './file-checks';

export type SourceTab = 'files' | 'url' | 'text';
const TABS: SourceTab[] = ['files', 'url', 'text'];

/** Create a knowledge entry from files, a web page or pasted text, described by its metadata. */
@Component({
  selector: 'bb-create-knowledge',
  imports: [ReactiveFormsModule, MatTabsModule, MatFormFieldModule, MatInputModule, MatButtonModule, MatProgressBarModule, MetadataFields],
  templateUrl: './create-knowledge.html',
  styleUrl: './create-knowledge.css',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class CreateKnowledge {
  readonly tenant = input.required<string>();
  readonly saved = output<KnowledgeEntryDetail>();

  private readonly api = inject(KnowledgeApi);
  private readonly toasts = inject(Toasts);
  private readonly destroyRef = inject(DestroyRef);
  protected readonly vocabulary = inject(VocabularyStore).vocabulary;

  protected readonly accept = ACCEPTED_FILE_EXTENSIONS.join(',');
  protected readonly formatBytes = formatBytes;
  protected readonly tabIndex = signal(0);
  protected readonly tab = computed(() => TABS[this.tabIndex()]);

  protected readonly metadata = metadataForm();
  protected readonly url = new FormControl('', { nonNullable: true, validators: [Validators.maxLength(URL_MAX_LENGTH)] });
  protected readonly text = new FormControl('', { nonNullable: true });
  protected readonly files = signal<File[]>([]);
  protected readonly fileProblems = signal<string[]>([]);
  protected readonly dragging = signal(false);

  protected readonly saving = signal(false);
  protected readonly progress = signal<number[]>([]);
  protected readonly submitted = signal(false);
  /** The server's refusal (or a source problem found here), shown above the button. */
  protected readonly formError = signal<string | null>(null);
  protected readonly serverFieldErrors = signal<Record<string, string>>({});

  protected readonly sourceError = computed(() => {
    if (!this.submitted()) return null;
    return this.sourceProblem();
  });

  private sourceProblem(): string | null {
    switch (this.tab()) {
      case 'files':
        return this.files().length === 0 ? 'Choose at least one file to upload.' : null;
      case 'url': {
        const value = this.urlValue();
        if (value === '') return 'Enter the address of a web page.';
        return isHttpUrl(value) ? null : 'Enter a valid web address starting with http:// or https://, for example https://example.com/handbook.';
      }
      case 'text':
        return this.textValue().trim() === '' ? 'Paste or write some text.' : null;
    }
  }

  private readonly urlValue = signal('');
  private readonly textValue = signal('');

  constructor() {
    inject(VocabularyStore).load();
    this.url.valueChanges.pipe(takeUntilDestroyed()).subscribe((value) => this.urlValue.set(value.trim()));
    this.text.valueChanges.pipe(takeUntilDestroyed()).subscribe((value) => this.textValue.set(value));
  }

  protected selectTab(index: number): void {
    this.tabIndex.set(index);
    this.formError.set(null);
  }

  protected onBrowse(input: HTMLInputElement): void {
    this.addFiles(Array.from(input.files ?? []));
    input.value = '';
  }

  protected onDragOver(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(true);
  }

  protected onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragging.set(false);
    this.addFiles(Array.from(event.dataTransfer?.files ?? []));
  }

  private addFiles(candidates: File[]): void {
    const check = checkFiles(candidates, this.files(), this.vocabulary());
    this.files.update((files) => [...files, ...check.accepted]);
    this.fileProblems.set(check.problems);
    this.formError.set(null);
  }

  protected removeFile(file: File): void {
    this.files.update((files) => files.filter((f) => f !== file));
    this.fileProblems.set([]);
  }

  protected save(): void {
    if (this.saving()) return;
    this.submitted.set(true);
    this.metadata.markAllAsTouched();
    this.formError.set(null);
    this.serverFieldErrors.set({});
    if (this.metadata.invalid || this.sourceProblem() !== null) {
      this.focusFirstProblem();
      return;
    }
    const metadata = metadataValue(this.metadata);
    const tenant = this.tenant();
    this.saving.set(true);
    this.metadata.disable({ emitEvent: false });

    let request: Observable<UploadEvent<KnowledgeEntryDetail>>;
    const files = this.files();
    if (this.tab() === 'files') {
      this.progress.set(files.map(() => 0));
      request = this.api.createWithFiles(tenant, metadata, files);
    } else {
      const sources = this.tab() === 'url' ? { url: this.urlValue() } : { text: this.textValue() };
      request = this.api.create(tenant, metadata, sources).pipe(map((body) => ({ kind: 'done' as const, body })));
    }
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (event) => {
        if (event.kind === 'progress') this.progress.set(perFileProgress(files, event.loaded, event.total));
        else this.onSaved(event.body);
      },
      error: (error: unknown) => {
        const problem = readableError(error);
        this.saving.set(false);
        this.metadata.enable({ emitEvent: false });
        this.progress.set([]);
        this.formError.set(problem.message);
        this.serverFieldErrors.set(problem.fields);
      },
    });
  }

  private onSaved(entry: KnowledgeEntryDetail): void {
    this.toasts.success(`Saved “${entry.title}”. It is being processed.`);
    this.saving.set(false);
    this.metadata.enable({ emitEvent: false });
    this.metadata.reset({ title: '', type: '', intent: '', tags: [] });
    this.url.reset();
    this.text.reset();
    this.files.set([]);
    this.fileProblems.set([]);
    this.progress.set([]);
    this.submitted.set(false);
    this.saved.emit(entry);
  }

  private focusFirstProblem(): void {
    queueMicrotask(() => {
      const first = document.querySelector<HTMLElement>('bb-create-knowledge input.ng-invalid, bb-create-knowledge mat-select.ng-invalid, bb-create-knowledge [aria-invalid="true"]');
      first?.focus();
    });
  }
}
